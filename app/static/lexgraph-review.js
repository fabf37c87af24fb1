/*
 * <lexgraph-review>: the review queue of proposed links, for lexgraph's /review page.
 *
 * The reviewer types an API key (read scope to look, write scope to decide); it is kept in sessionStorage
 * and sent as "Authorization: Bearer", never put in a URL. The queue (GET /links?review=proposed, lowest
 * confidence first) is a listbox: j/k or the arrow keys move, Enter opens a link: its text with the link's
 * span marked, the evidence, both documents. a accepts, r rejects, c corrects (another relation or target);
 * each decision is announced in a live region. Page query: lang=en, limit=N (queue page size).
 * No dependencies, no build step, nothing from another host.
 */
(() => {
  "use strict";

  if (customElements.get("lexgraph-review")) return;

  const KEY_STORE = "lexgraph-review-key";
  const DEFAULT_LIMIT = 50;
  const RELATIONS = ["implements", "continues", "based_on", "guides", "cites", "amends", "replaces", "repeals"];

  const TEXTS = {
    vi: {
      title: "Duyệt quan hệ văn bản",
      skip: "Bỏ qua đến hàng chờ",
      language: "Ngôn ngữ",
      key: "Khóa API",
      keyHint: "Khóa chỉ được giữ trong phiên làm việc của thẻ này.",
      useKey: "Dùng khóa",
      forget: "Quên khóa",
      filters: "Lọc hàng chờ",
      relation: "Quan hệ",
      anyRelation: "Mọi quan hệ",
      jurisdiction: "Địa bàn",
      jurisdictionHint: "ví dụ: Nghệ An",
      below: "Độ tin cậy dưới",
      apply: "Lọc",
      queue: "Hàng chờ duyệt",
      queueHelp: "j, k hoặc mũi tên để di chuyển; Enter để mở; a chấp nhận, r bác bỏ, c sửa.",
      more: "Hiện thêm",
      empty: "Không còn quan hệ nào chờ duyệt.",
      loaded: (n, more) => `${n} quan hệ chờ duyệt${more ? ", còn nữa" : ""}.`,
      loading: "Đang tải…",
      detail: "Quan hệ đang xem",
      decision: "Quyết định",
      none: "Chọn một quan hệ trong hàng chờ và nhấn Enter.",
      opened: (name) => `Đang xem: ${name}.`,
      confidence: "Độ tin cậy",
      state: "Trạng thái",
      states: { proposed: "chờ duyệt", accepted: "đã chấp nhận", rejected: "đã bác bỏ" },
      flagged: "Nguồn ban hành trước đích (đã ghi nhận có cảnh báo)",
      evidence: "Căn cứ trích ra",
      text: "Văn bản nguồn",
      noText: "Quan hệ này không gắn với văn bản đã lưu.",
      source: "Văn bản nguồn",
      target: "Văn bản đích",
      type: "Loại",
      date: "Ngày ban hành",
      issuer: "Cơ quan ban hành",
      docTitle: "Trích yếu",
      stub: "Chỉ biết qua trích dẫn.",
      accept: "Chấp nhận",
      reject: "Bác bỏ",
      correct: "Sửa",
      correction: "Sửa quan hệ",
      newRelation: "Quan hệ đúng",
      newTarget: "Khóa văn bản đích đúng (để trống nếu giữ nguyên)",
      force: "Vẫn ghi khi nguồn ban hành trước đích",
      save: "Lưu sửa",
      cancel: "Hủy",
      unchanged: "Chưa đổi quan hệ hay văn bản đích.",
      decided: { accepted: "Đã chấp nhận", rejected: "Đã bác bỏ", corrected: "Đã sửa" },
      noKey: "Chưa có khóa API hoặc khóa không hợp lệ. Nhập khóa để xem hàng chờ.",
      readOnly: "Khóa này chỉ có quyền đọc: cần khóa có quyền ghi để duyệt.",
      conflict: (detail) => `Không sửa được (xung đột): ${detail}`,
      invalid: (detail) => `Không sửa được: ${detail}`,
      failed: (status) => `Máy chủ trả lỗi ${status}. Vui lòng thử lại.`,
      offline: "Không kết nối được máy chủ. Vui lòng thử lại.",
      relations: {
        implements: "thực hiện", continues: "tiếp tục thực hiện", based_on: "căn cứ", guides: "hướng dẫn",
        cites: "dẫn chiếu", amends: "sửa đổi", replaces: "thay thế", repeals: "bãi bỏ",
      },
      number: (value) => value.toLocaleString("vi-VN", { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
      day: (iso) => (iso ? iso.split("-").reverse().join("/") : "—"),
    },
    en: {
      title: "Link review",
      skip: "Skip to the queue",
      language: "Language",
      key: "API key",
      keyHint: "The key is kept for this tab's session only.",
      useKey: "Use key",
      forget: "Forget key",
      filters: "Filter the queue",
      relation: "Relation",
      anyRelation: "Any relation",
      jurisdiction: "Jurisdiction",
      jurisdictionHint: "e.g. Nghệ An",
      below: "Confidence below",
      apply: "Filter",
      queue: "Review queue",
      queueHelp: "j, k or the arrow keys to move; Enter to open; a accept, r reject, c correct.",
      more: "Show more",
      empty: "Nothing left to review.",
      loaded: (n, more) => `${n} links to review${more ? ", more to load" : ""}.`,
      loading: "Loading…",
      detail: "Link under review",
      decision: "Decision",
      none: "Choose a link in the queue and press Enter.",
      opened: (name) => `Open: ${name}.`,
      confidence: "Confidence",
      state: "State",
      states: { proposed: "proposed", accepted: "accepted", rejected: "rejected" },
      flagged: "Source issued before its target (kept with a warning)",
      evidence: "Evidence",
      text: "Source text",
      noText: "This link is not tied to a stored text.",
      source: "Source document",
      target: "Target document",
      type: "Type",
      date: "Issued on",
      issuer: "Issued by",
      docTitle: "Title",
      stub: "Known only from citations.",
      accept: "Accept",
      reject: "Reject",
      correct: "Correct",
      correction: "Correct the link",
      newRelation: "Right relation",
      newTarget: "Right target key (empty to keep it)",
      force: "Keep it even if the source was issued before the target",
      save: "Save correction",
      cancel: "Cancel",
      unchanged: "Neither the relation nor the target was changed.",
      decided: { accepted: "Accepted", rejected: "Rejected", corrected: "Corrected" },
      noKey: "No API key, or the key is not valid. Enter a key to see the queue.",
      readOnly: "This key can only read: deciding needs a key with write scope.",
      conflict: (detail) => `Not corrected (conflict): ${detail}`,
      invalid: (detail) => `Not corrected: ${detail}`,
      failed: (status) => `The server answered ${status}. Please try again.`,
      offline: "The server could not be reached. Please try again.",
      relations: {
        implements: "implements", continues: "continues", based_on: "is based on", guides: "guides",
        cites: "cites", amends: "amends", replaces: "replaces", repeals: "repeals",
      },
      number: (value) => value.toFixed(2),
      day: (iso) => iso || "—",
    },
  };

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    node.append(...children.flat().filter((c) => c !== null && c !== undefined));
    return node;
  };
  const EDITABLE = new Set(["INPUT", "SELECT", "TEXTAREA", "BUTTON"]);

  /** An API answer that is not 2xx: its status and the server's detail. */
  class ApiError extends Error {
    constructor(status, detail) {
      super(detail || String(status));
      this.status = status;
      this.detail = detail;
    }
  }

  /** Text, cut at a span counted in code points (the server's offsets), as [before, span, after]. */
  const cutSpan = (text, start, end) => {
    const points = Array.from(text);
    return [points.slice(0, start).join(""), points.slice(start, end).join(""), points.slice(end).join("")];
  };

  class LexgraphReview extends HTMLElement {
    connectedCallback() {
      if (this.built) return;
      const params = new URLSearchParams(location.search);
      this.lang = params.get("lang") === "en" ? "en" : "vi";
      const limit = Number.parseInt(params.get("limit") || "", 10);
      this.limit = Number.isInteger(limit) && limit >= 1 && limit <= 500 ? limit : DEFAULT_LIMIT;
      this.key = sessionStorage.getItem(KEY_STORE) || "";
      this.items = [];
      this.next = null;
      this.removed = 0;
      this.loads = 0; // queue loads started: only the newest one's answer is shown
      this.active = -1;
      this.open = null; // {link, text, entry, source, target}
      this.filters = { relation: "", jurisdiction: "", confidence_below: "" };
      this.orgs = new Map();
      this.addEventListener("keydown", (event) => this.onShortcut(event));
      this.build();
      if (this.key) this.loadQueue();
    }

    get t() {
      return TEXTS[this.lang];
    }

    setLang(lang) {
      this.lang = lang;
      const params = new URLSearchParams(location.search);
      params.set("lang", lang);
      history.replaceState(null, "", `${location.pathname}?${params}`);
      this.build();
      this.querySelector(`.langs button[lang=${lang}]`).focus();
    }

    /** The whole page for the current language, drawn from the state kept on the element. */
    build() {
      const t = this.t;
      this.built = true;
      document.documentElement.lang = this.lang;
      document.title = `${t.title} · lexgraph`;
      const skip = document.querySelector(".skip");
      if (skip) skip.textContent = t.skip;
      const langs = el("div", { class: "langs", role: "group", "aria-label": t.language },
        ...[["vi", "Tiếng Việt"], ["en", "English"]].map(([lang, label]) =>
          el("button", { type: "button", lang, "aria-pressed": String(this.lang === lang), onclick: () => this.setLang(lang) }, label)));
      this.status = el("p", { class: "status", role: "status", "aria-live": "polite" });
      this.alert = el("p", { class: "alert", role: "alert" });
      this.listbox = el("ul", {
        id: "queue", role: "listbox", tabindex: 0, "aria-labelledby": "queue-h", "aria-describedby": "queue-help",
        onkeydown: (event) => this.onQueueKey(event), onfocus: () => this.active < 0 && this.items.length && this.moveTo(0),
      });
      this.moreButton = el("button", { type: "button", class: "more", hidden: true, onclick: () => this.loadQueue(true) }, t.more);
      this.detail = el("section", { class: "detail", "aria-labelledby": "detail-h" });
      this.replaceChildren(
        el("header", {}, el("h1", {}, t.title), langs),
        this.keyForm(),
        this.filterForm(),
        this.status,
        this.alert,
        el("div", { class: "panels" },
          el("section", { class: "queue", "aria-labelledby": "queue-h" },
            el("h2", { id: "queue-h" }, t.queue), el("p", { id: "queue-help", class: "help" }, t.queueHelp),
            this.listbox, this.moreButton),
          this.detail),
      );
      this.renderQueue();
      this.renderDetail();
    }

    keyForm() {
      const t = this.t;
      // No name attribute and no action: the key can never end up in a URL.
      this.keyInput = el("input", { id: "key", type: "password", autocomplete: "off", spellcheck: "false", "aria-describedby": "key-hint", value: this.key });
      return el("form", { class: "key", onsubmit: (event) => { event.preventDefault(); this.useKey(); } },
        el("label", { for: "key" }, t.key), this.keyInput,
        el("button", { type: "submit" }, t.useKey),
        el("button", { type: "button", onclick: () => this.forgetKey() }, t.forget),
        el("p", { id: "key-hint", class: "help" }, t.keyHint));
    }

    filterForm() {
      const t = this.t;
      const f = this.filters;
      const relation = el("select", { id: "f-relation" }, el("option", { value: "" }, t.anyRelation),
        ...RELATIONS.map((r) => el("option", { value: r, selected: f.relation === r }, t.relations[r])));
      const jurisdiction = el("input", { id: "f-jurisdiction", type: "text", placeholder: t.jurisdictionHint, value: f.jurisdiction });
      const below = el("input", { id: "f-below", type: "number", min: 0, max: 1, step: 0.05, value: f.confidence_below });
      const submit = (event) => {
        event.preventDefault();
        this.filters = { relation: relation.value, jurisdiction: jurisdiction.value.trim(), confidence_below: below.value };
        this.loadQueue();
      };
      return el("form", { class: "filters", "aria-label": t.filters, onsubmit: submit },
        el("div", {}, el("label", { for: "f-relation" }, t.relation), relation),
        el("div", {}, el("label", { for: "f-jurisdiction" }, t.jurisdiction), jurisdiction),
        el("div", {}, el("label", { for: "f-below" }, t.below), below),
        el("button", { type: "submit" }, t.apply));
    }

    useKey() {
      this.key = this.keyInput.value.trim();
      if (this.key) sessionStorage.setItem(KEY_STORE, this.key);
      else sessionStorage.removeItem(KEY_STORE);
      this.loadQueue().then(() => this.items.length && this.listbox.focus());
    }

    forgetKey() {
      this.key = "";
      sessionStorage.removeItem(KEY_STORE);
      this.keyInput.value = "";
      // A load still on its way answers for the forgotten key: it is dropped.
      Object.assign(this, { items: [], next: null, active: -1, open: null, loads: this.loads + 1 });
      this.build();
      this.keyInput.focus();
    }

    async api(method, path, body) {
      const headers = this.key ? { Authorization: `Bearer ${this.key}` } : {};
      if (body) headers["Content-Type"] = "application/json";
      let response;
      try {
        response = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined, credentials: "omit" });
      } catch {
        throw new ApiError(0, this.t.offline);
      }
      if (!response.ok) {
        const answer = await response.json().catch(() => ({}));
        throw new ApiError(response.status, typeof answer.detail === "string" ? answer.detail : "");
      }
      return response.status === 204 ? null : response.json();
    }

    /** A failed request's message: what the reviewer can do about it. */
    explain(error) {
      const t = this.t;
      if (error.status === 401) return t.noKey;
      if (error.status === 403) return t.readOnly;
      if (error.status === 409) return t.conflict(error.detail);
      if (error.status === 422) return t.invalid(error.detail);
      return error.status ? t.failed(error.status) : t.offline;
    }

    fail(error, focus) {
      this.alert.textContent = this.explain(error);
      if (error.status === 401) this.keyInput.focus();
      else if (focus) focus.focus();
    }

    async loadQueue(more = false) {
      const t = this.t;
      this.alert.textContent = "";
      const params = new URLSearchParams({ review: "proposed", limit: String(this.limit) });
      for (const [name, value] of Object.entries(this.filters)) if (value) params.set(name, value);
      if (more && this.next !== null) {
        const offset = Number(this.next);
        // Decided links left the queue: the next page starts that many places earlier.
        params.set("next", Number.isInteger(offset) ? String(Math.max(0, offset - this.removed)) : this.next);
      }
      this.status.textContent = t.loading;
      this.listbox.setAttribute("aria-busy", "true");
      this.moreButton.disabled = true;
      // A newer load (a filter, another key) makes this one's answer stale, whichever arrives first.
      const load = ++this.loads;
      try {
        const page = await this.api("GET", `/links?${params}`);
        if (load !== this.loads) return;
        const first = more ? this.items.length : 0;
        this.items = more ? this.items.concat(page.items) : page.items;
        this.next = page.next ?? (page.next_offset === null || page.next_offset === undefined ? null : String(page.next_offset));
        this.removed = 0;
        if (!more) Object.assign(this, { active: -1, open: null });
        this.renderQueue();
        if (!more) this.renderDetail();
        this.status.textContent = this.items.length ? t.loaded(this.items.length, this.next !== null) : t.empty;
        this.moveTo(more ? first : 0);
      } catch (error) {
        if (load !== this.loads) return;
        this.status.textContent = "";
        this.fail(error);
      } finally {
        if (load === this.loads) {
          this.listbox.removeAttribute("aria-busy");
          this.moreButton.disabled = false;
        }
      }
    }

    linkName(link) {
      return `${link.source_symbol || link.source} ${this.t.relations[link.relation] || link.relation} ${link.target_symbol || link.target}`;
    }

    renderQueue() {
      const t = this.t;
      this.listbox.replaceChildren(...this.items.map((link, index) =>
        el("li", {
          id: `opt-${link.id}`, role: "option", "aria-selected": String(index === this.active),
          class: this.open && this.open.link.id === link.id ? "opened" : null, "data-id": link.id,
          onclick: () => { this.moveTo(index); this.openActive(); },
        },
        el("span", { class: "name" }, this.linkName(link)),
        el("span", { class: "meta" }, `${t.confidence} ${t.number(link.confidence)}`))));
      this.listbox.hidden = this.items.length === 0;
      this.moreButton.hidden = this.next === null;
      if (this.active >= 0) this.listbox.setAttribute("aria-activedescendant", `opt-${this.items[this.active].id}`);
      else this.listbox.removeAttribute("aria-activedescendant");
    }

    moveTo(index) {
      if (index >= this.items.length || !this.items.length) return;
      this.active = Math.max(0, Math.min(index, this.items.length - 1));
      for (const [i, option] of Array.from(this.listbox.children).entries()) option.setAttribute("aria-selected", String(i === this.active));
      const option = this.listbox.children[this.active];
      this.listbox.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }

    onQueueKey(event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const moves = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 };
      if (event.key in moves) this.moveTo(this.active + moves[event.key]);
      else if (event.key === "Home") this.moveTo(0);
      else if (event.key === "End") this.moveTo(this.items.length - 1);
      else if (event.key === "Enter") this.openActive();
      else return;
      event.preventDefault();
    }

    /** a, r and c anywhere but in a field: decide on the open link. */
    onShortcut(event) {
      if (event.altKey || event.ctrlKey || event.metaKey || EDITABLE.has(event.target.tagName) || !this.open) return;
      const actions = { a: () => this.decide("accepted"), r: () => this.decide("rejected"), c: () => this.showCorrection() };
      if (!(event.key in actions)) return;
      event.preventDefault();
      actions[event.key]();
    }

    async openActive() {
      const link = this.items[this.active];
      if (!link) return;
      this.alert.textContent = "";
      const entry = link.provenance.find((p) => p.text_id) || null;
      try {
        const [text, source, target] = await Promise.all([
          entry ? this.api("GET", `/texts/${encodeURIComponent(entry.text_id)}`) : null,
          this.document(link.source),
          this.document(link.target),
        ]);
        this.open = { link, entry, text: text && text.text, source, target };
        this.renderQueue();
        this.renderDetail();
        this.status.textContent = this.t.opened(this.linkName(link));
        const mark = this.detail.querySelector("mark");
        if (mark) mark.scrollIntoView({ block: "center" });
      } catch (error) {
        this.fail(error, this.listbox);
      }
    }

    /** A document with its issuer's name (the key when the name cannot be read). */
    async document(key) {
      const doc = await this.api("GET", `/documents/${encodeURIComponent(key)}`).catch(() => ({ key }));
      if (doc.issuer && !this.orgs.has(doc.issuer)) {
        this.orgs.set(doc.issuer, this.api("GET", `/organizations/${encodeURIComponent(doc.issuer)}`).then((o) => o.name, () => doc.issuer));
      }
      return { ...doc, issuerName: doc.issuer ? await this.orgs.get(doc.issuer) : "" };
    }

    renderDetail() {
      const t = this.t;
      if (!this.open) {
        this.detail.replaceChildren(el("h2", { id: "detail-h" }, t.detail), el("p", { class: "help" }, t.none));
        return;
      }
      const { link, entry, text, source, target } = this.open;
      const facts = el("dl", { class: "facts" },
        el("dt", {}, t.relation), el("dd", { "data-field": "relation" }, t.relations[link.relation] || link.relation),
        el("dt", {}, t.confidence), el("dd", { "data-field": "confidence" }, t.number(link.confidence)),
        el("dt", {}, t.state), el("dd", { "data-field": "review" }, t.states[link.review] || link.review));
      const actions = el("div", { class: "actions", role: "group", "aria-label": t.decision },
        el("button", { type: "button", "aria-keyshortcuts": "a", onclick: () => this.decide("accepted") }, `${t.accept} (a)`),
        el("button", { type: "button", "aria-keyshortcuts": "r", onclick: () => this.decide("rejected") }, `${t.reject} (r)`),
        el("button", { type: "button", "aria-keyshortcuts": "c", onclick: () => this.showCorrection() }, `${t.correct} (c)`));
      const parts = [
        el("h2", { id: "detail-h" }, this.linkName(link)),
        facts,
        link.flagged ? el("p", { class: "flag" }, t.flagged) : null,
        actions,
        el("h3", {}, t.evidence),
        el("blockquote", { class: "evidence" }, (entry && entry.evidence) || link.evidence || "—"),
        el("h3", { id: "text-h" }, t.text),
        this.textBlock(text, entry),
        el("div", { class: "docs" }, this.docCard(t.source, source, "source"), this.docCard(t.target, target, "target")),
      ];
      this.detail.replaceChildren(...parts.filter(Boolean));
    }

    textBlock(text, entry) {
      if (!text || !entry) return el("p", { class: "help" }, this.t.noText);
      const [before, span, after] = cutSpan(text.text, entry.span_start, entry.span_end);
      // Scrollable, so focusable: a keyboard can scroll it too.
      return el("div", { class: "text", tabindex: 0, role: "region", "aria-labelledby": "text-h", lang: "vi" },
        before, el("mark", { id: "span" }, span), after);
    }

    docCard(heading, doc, role) {
      const t = this.t;
      const rows = [[t.type, doc.type], [t.date, t.day(doc.date)], [t.issuer, doc.issuerName], [t.docTitle, doc.title]];
      return el("article", { class: "doc", "data-role": role, "aria-label": heading },
        el("h3", {}, heading),
        el("p", { class: "symbol" }, doc.symbol || doc.key),
        el("dl", {}, ...rows.flatMap(([label, value]) => [el("dt", {}, label), el("dd", {}, value || "—")])),
        doc.stub ? el("p", { class: "help" }, t.stub) : null);
    }

    showCorrection() {
      const t = this.t;
      const { link } = this.open;
      if (this.detail.querySelector("form.correction")) return this.detail.querySelector("#c-relation").focus();
      const relation = el("select", { id: "c-relation" },
        ...RELATIONS.map((r) => el("option", { value: r, selected: r === link.relation }, t.relations[r])));
      const target = el("input", { id: "c-target", type: "text", spellcheck: "false", placeholder: link.target });
      const force = el("input", { id: "c-force", type: "checkbox" });
      const error = el("p", { class: "alert", role: "alert" });
      const form = el("form", { class: "correction", "aria-labelledby": "correction-h",
        onsubmit: (event) => { event.preventDefault(); this.correct(relation, target, force, error); },
        onkeydown: (event) => { if (event.key === "Escape") { form.remove(); this.listbox.focus(); } } },
      el("h3", { id: "correction-h" }, t.correction),
      el("label", { for: "c-relation" }, t.newRelation), relation,
      el("label", { for: "c-target" }, t.newTarget), target,
      el("div", { class: "check" }, force, el("label", { for: "c-force" }, t.force)),
      error,
      el("div", { class: "actions" }, el("button", { type: "submit" }, t.save),
        el("button", { type: "button", onclick: () => { form.remove(); this.listbox.focus(); } }, t.cancel)));
      this.detail.querySelector(".actions").after(form);
      relation.focus();
    }

    correct(relation, target, force, error) {
      const { link } = this.open;
      const body = {};
      if (relation.value !== link.relation) body.relation = relation.value;
      if (target.value.trim() && target.value.trim() !== link.target) body.target = target.value.trim();
      if (!Object.keys(body).length) {
        error.textContent = this.t.unchanged;
        return relation.focus();
      }
      if (force.checked) body.force = true;
      return this.decide("corrected", body, error, relation);
    }

    /** PATCH the open link; on success it leaves the queue and the next one opens. */
    async decide(kind, body = { review: kind }, errorBox = this.alert, focus = this.listbox) {
      const { link } = this.open;
      errorBox.textContent = "";
      try {
        const answer = await this.api("PATCH", `/links/${encodeURIComponent(link.id)}`, body);
        const done = answer.corrected ? `${this.linkName(link)} → ${this.linkName(answer.corrected)}` : this.linkName(link);
        const index = this.items.findIndex((item) => item.id === link.id);
        if (index >= 0) {
          this.items.splice(index, 1);
          this.removed += 1;
        }
        this.open = null;
        this.active = Math.min(index, this.items.length - 1);
        this.renderQueue();
        this.renderDetail();
        this.status.textContent = `${this.t.decided[kind]}: ${done}.`;
        this.listbox.focus();
        if (this.active >= 0) {
          this.moveTo(this.active);
          await this.openActive();
          this.status.textContent = `${this.t.decided[kind]}: ${done}.`;
        }
      } catch (error) {
        if (errorBox === this.alert) this.fail(error, focus);
        else {
          errorBox.textContent = this.explain(error);
          if (error.status === 401) this.keyInput.focus();
          else focus.focus();
        }
      }
    }
  }

  customElements.define("lexgraph-review", LexgraphReview);
})();
