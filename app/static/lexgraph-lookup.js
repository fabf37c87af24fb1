/*
 * <lexgraph-lookup>: a document lookup for Vietnamese Party and State documents, served by lexgraph.
 *
 *   <script src="https://API/widget/lexgraph-lookup.js" defer></script>
 *   <lexgraph-lookup></lexgraph-lookup>
 *
 * Attributes: api-base (the lexgraph API; by default the origin this script was loaded from),
 * limit (suggestions shown, 1..50, default 8), placeholder. Requests are plain GETs with no custom
 * headers, so another origin needs only to be listed in the API's LEXGRAPH_CORS_ORIGINS (no preflight).
 * Choosing a document fires "lexgraph-select" (detail: {document}).
 * No dependencies; a classic script so that one tag is enough.
 */
(() => {
  "use strict";

  if (customElements.get("lexgraph-lookup")) return;

  const SCRIPT_ORIGIN = document.currentScript ? new URL(document.currentScript.src, location.href).origin : location.origin;
  const DEBOUNCE_MS = 200;
  const MIN_QUERY = 2;
  const MAX_QUERY = 200;
  const DEFAULT_LIMIT = 8;
  const MAX_ROW = 6;
  const SVG_NS = "http://www.w3.org/2000/svg";

  const LEVELS = [
    ["central", "Trung ương"],
    ["ministry", "Bộ, ngành"],
    ["province", "Cấp tỉnh"],
    ["district", "Cấp huyện"],
    ["commune", "Cấp xã"],
    ["unit", "Cơ sở"],
  ];
  const LEVEL_NAMES = Object.fromEntries(LEVELS);
  const STATUS_NAMES = {
    in_force: "Còn hiệu lực",
    amended: "Đã được sửa đổi",
    replaced: "Đã bị thay thế",
    repealed: "Đã bị bãi bỏ",
    expired: "Hết hiệu lực",
    unknown: "Chưa rõ hiệu lực",
  };
  const RELATION_NAMES = {
    implements: "thực hiện",
    continues: "tiếp tục thực hiện",
    cites: "dẫn chiếu",
    based_on: "căn cứ",
    guides: "hướng dẫn",
    amends: "sửa đổi",
    replaces: "thay thế",
    repeals: "bãi bỏ",
  };
  const TEXT = {
    label: "Tra cứu văn bản",
    detail: "Thông tin văn bản",
    placeholder: "Số hiệu hoặc tên văn bản, ví dụ: nghị quyết 25, KL43",
    listbox: "Văn bản tìm thấy",
    hint: "Gõ ít nhất 2 ký tự để tìm.",
    searching: "Đang tìm…",
    none: "Không tìm thấy văn bản phù hợp.",
    found: (n) => `${n} văn bản. Dùng phím mũi tên lên, xuống để chọn, Enter để xem.`,
    tooLong: `Từ khóa quá dài (tối đa ${MAX_QUERY} ký tự).`,
    failed: "Không kết nối được máy chủ tra cứu. Vui lòng thử lại.",
    chosen: (symbol) => `Đã chọn văn bản ${symbol}.`,
    loading: "Đang tải quan hệ văn bản…",
    loadFailed: "Không tải được quan hệ của văn bản này.",
    type: "Loại văn bản",
    date: "Ngày ban hành",
    issuer: "Cơ quan ban hành",
    level: "Cấp",
    term: "Khóa",
    status: "Hiệu lực",
    stub: "Văn bản chỉ được biết qua trích dẫn; thông tin có thể chưa đầy đủ.",
    up: "Văn bản này thực hiện, căn cứ",
    down: "Các văn bản thực hiện văn bản này",
    empty: "Chưa ghi nhận văn bản nào.",
    via: "thông qua",
    direct: "thực hiện trực tiếp",
    implementedBy: "Được thực hiện tiếp bởi",
    open: "Xem văn bản",
    graph: "Sơ đồ quan hệ",
    graphLabel: (symbol) => `Sơ đồ quan hệ của văn bản ${symbol}: văn bản được thực hiện ở trên, văn bản thực hiện ở dưới`,
    more: (n) => `+${n} văn bản`,
    unknownDate: "Chưa rõ",
  };

  const STYLE = `
:host { display: block; font: 15px/1.5 system-ui, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; color: #1f2933;
  --lexgraph-accent: #a51d24; --lexgraph-border: #cbd2d9; --lexgraph-muted: #52606d; --lexgraph-bg: #fff; }
* { box-sizing: border-box; }
.label { display: block; font-weight: 600; margin-bottom: .25rem; }
.field { position: relative; }
input { width: 100%; font: inherit; padding: .6rem .8rem; border: 1px solid var(--lexgraph-border); border-radius: 6px;
  background: var(--lexgraph-bg); color: inherit; }
input:focus { outline: 2px solid var(--lexgraph-accent); outline-offset: 1px; }
[role=listbox] { position: absolute; z-index: 10; left: 0; right: 0; top: calc(100% + 2px); margin: 0; padding: .25rem 0;
  list-style: none; max-height: 24rem; overflow-y: auto; background: var(--lexgraph-bg); border: 1px solid var(--lexgraph-border);
  border-radius: 6px; box-shadow: 0 6px 18px rgba(0,0,0,.12); }
[role=option] { padding: .45rem .8rem; cursor: pointer; border-left: 3px solid transparent; }
[role=option][aria-selected=true] { background: #fdf1f1; border-left-color: var(--lexgraph-accent); }
.option-head { display: flex; gap: .5rem; align-items: baseline; flex-wrap: wrap; }
.symbol { font-weight: 700; }
.meta { color: var(--lexgraph-muted); font-size: .85em; }
.option-title { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; font-size: .92em; }
mark { background: #fff3b0; color: inherit; padding: 0 1px; border-radius: 2px; }
.status { min-height: 1.5em; margin: .35rem 0 0; color: var(--lexgraph-muted); font-size: .88em; }
.status.error { color: #b42318; }
.card { margin-top: 1rem; border: 1px solid var(--lexgraph-border); border-radius: 8px; padding: 1rem 1.1rem; background: var(--lexgraph-bg); }
.card-head { display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; }
.card h2 { margin: 0; font-size: 1.35rem; color: var(--lexgraph-accent); }
.badge { font-size: .78rem; padding: .1rem .5rem; border-radius: 999px; background: #e4e7eb; color: #323f4b; }
.badge.in_force { background: #e3f9e5; color: #0e5a1c; }
.badge.expired, .badge.repealed, .badge.replaced { background: #fde8e8; color: #8a1c1c; }
.card-title { margin: .5rem 0 .75rem; font-size: 1.02rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
dt { color: var(--lexgraph-muted); }
dd { margin: 0; }
.note { font-size: .85em; color: var(--lexgraph-muted); font-style: italic; }
h3 { font-size: 1rem; margin: 1.1rem 0 .4rem; }
details.group { border-left: 3px solid var(--level-color, #9aa5b1); padding-left: .6rem; margin: .35rem 0; }
details.group > summary { font-weight: 600; cursor: pointer; }
.count { display: inline-block; min-width: 1.4em; text-align: center; font-size: .8em; background: #e4e7eb; border-radius: 999px; margin-left: .35rem; }
ul.tree { list-style: none; margin: .2rem 0 .2rem .2rem; padding: 0; }
ul.tree li { margin: .15rem 0; }
ul.tree details > summary { cursor: pointer; }
.node-body { margin: .2rem 0 .4rem 1.1rem; font-size: .92em; }
.node-body p { margin: .15rem 0; }
button.open { font: inherit; font-size: .85em; border: 1px solid var(--lexgraph-border); background: #f5f7fa; border-radius: 4px; padding: .1rem .5rem; cursor: pointer; }
button.open:hover, button.open:focus { border-color: var(--lexgraph-accent); }
.graph { margin-top: .4rem; overflow-x: auto; }
.graph svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
.graph .node { cursor: pointer; }
.graph .node:focus { outline: none; }
.graph .node:focus rect, .graph .node:hover rect { stroke-width: 3; }
.legend { display: flex; justify-content: center; gap: 1rem; flex-wrap: wrap; font-size: .8em; color: var(--lexgraph-muted); margin-top: .3rem; }
.legend span::before { content: ""; display: inline-block; width: .7em; height: .7em; border-radius: 2px; margin-right: .3em; background: var(--c); }
[hidden] { display: none !important; }
`;
  const LEVEL_COLORS = { central: "#a51d24", ministry: "#7b4397", province: "#1d4ed8", district: "#047857", commune: "#b45309", unit: "#52606d" };

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
  const svg = (tag, attrs = {}, ...children) => {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
    node.append(...children);
    return node;
  };

  /** A date "2013-06-03" as "03/06/2013". */
  const formatDate = (iso) => (iso ? iso.split("-").reverse().join("/") : TEXT.unknownDate);
  // "12", or "100 / 700" when only the first page of many is listed.
  const countText = (shown, total) => (total > shown ? `${shown} / ${total}` : String(shown));
  const levelName = (level) => LEVEL_NAMES[level] || level || "";
  const shorten = (text, max) => (text && text.length > max ? `${text.slice(0, max - 1)}…` : text || "");

  /** The server's highlight (escaped text with <mark>) as nodes, keeping nothing but text and <mark>. */
  const highlightNodes = (html, fallback) => {
    if (!html) return [document.createTextNode(fallback || "")];
    const template = document.createElement("template");
    template.innerHTML = html;
    return Array.from(template.content.childNodes, (node) =>
      node.nodeName === "MARK" ? el("mark", {}, node.textContent) : document.createTextNode(node.textContent),
    );
  };

  class LexgraphLookup extends HTMLElement {
    static get observedAttributes() {
      return ["placeholder"];
    }

    constructor() {
      super();
      this.results = [];
      this.active = -1;
      this.timer = 0;
      this.controller = null;
      this.sequence = 0;
      this.detailController = null;
      const root = this.attachShadow({ mode: "open" });
      this.input = el("input", {
        id: "query",
        type: "text",
        role: "combobox",
        "aria-autocomplete": "list",
        "aria-expanded": "false",
        "aria-controls": "results",
        "aria-describedby": "status",
        autocomplete: "off",
        spellcheck: "false",
        maxlength: MAX_QUERY,
        placeholder: TEXT.placeholder,
        oninput: () => this.scheduleSearch(),
        onkeydown: (event) => this.onKeyDown(event),
        onblur: () => this.close(),
        onfocus: () => this.results.length && this.input.value.trim().length >= MIN_QUERY && this.open(),
      });
      this.listbox = el("ul", { id: "results", role: "listbox", "aria-label": TEXT.listbox, hidden: true });
      this.status = el("p", { id: "status", class: "status", role: "status", "aria-live": "polite" });
      this.detail = el("section", { class: "detail", "aria-label": TEXT.detail, hidden: true });
      root.append(
        el("style", {}, STYLE),
        el("label", { class: "label", for: "query" }, TEXT.label),
        el("div", { class: "field" }, this.input, this.listbox),
        this.status,
        this.detail,
      );
    }

    attributeChangedCallback(name, _old, value) {
      if (name === "placeholder") this.input.placeholder = value || TEXT.placeholder;
    }

    disconnectedCallback() {
      clearTimeout(this.timer);
      if (this.controller) this.controller.abort();
      if (this.detailController) this.detailController.abort();
    }

    /** The API base: the api-base attribute, else the origin this script came from. */
    get apiBase() {
      return (this.getAttribute("api-base") || SCRIPT_ORIGIN).replace(/\/+$/, "");
    }

    get limit() {
      const value = Number.parseInt(this.getAttribute("limit") || "", 10);
      return Number.isInteger(value) && value >= 1 && value <= 50 ? value : DEFAULT_LIMIT;
    }

    async getJson(path, params, signal) {
      const url = new URL(this.apiBase + path);
      for (const [name, value] of params) url.searchParams.append(name, value);
      // No custom headers and no credentials: a simple CORS request, which needs no preflight.
      const response = await fetch(url, { signal, credentials: "omit" });
      if (!response.ok) throw new Error(`${response.status} ${url.pathname}`);
      return response.json();
    }

    // --- the combobox ---------------------------------------------------------------------------

    scheduleSearch() {
      clearTimeout(this.timer);
      const query = this.input.value.trim();
      if (query.length < MIN_QUERY) {
        if (this.controller) this.controller.abort();
        this.sequence += 1;
        this.setResults([]);
        this.say(query ? TEXT.hint : "");
        return;
      }
      if (query.length > MAX_QUERY) {
        this.say(TEXT.tooLong, true);
        return;
      }
      this.timer = setTimeout(() => this.search(query), DEBOUNCE_MS);
    }

    async search(query) {
      if (this.controller) this.controller.abort();
      this.controller = new AbortController();
      const sequence = ++this.sequence;
      this.say(TEXT.searching);
      try {
        const body = await this.getJson("/search", [["q", query], ["limit", String(this.limit)]], this.controller.signal);
        if (sequence !== this.sequence) return;
        this.setResults(body.items);
        this.say(body.items.length ? TEXT.found(body.items.length) : TEXT.none);
      } catch (error) {
        if (error.name === "AbortError" || sequence !== this.sequence) return;
        this.setResults([]);
        this.say(TEXT.failed, true);
      }
    }

    setResults(items) {
      this.results = items;
      this.active = -1;
      this.listbox.replaceChildren(
        ...items.map((item, index) =>
          el(
            "li",
            {
              id: `option-${index}`,
              role: "option",
              "aria-selected": "false",
              onmousedown: (event) => event.preventDefault(),
              onmousemove: () => index !== this.active && this.setActive(index),
              onclick: () => this.choose(index),
            },
            el(
              "div",
              { class: "option-head" },
              el("span", { class: "symbol" }, item.symbol),
              el("span", { class: "meta" }, [item.type, formatDate(item.date), levelName(item.level)].filter(Boolean).join(" · ")),
            ),
            el("div", { class: "option-title" }, highlightNodes(item.highlight, item.title)),
          ),
        ),
      );
      if (items.length && this.shadowRoot.activeElement === this.input) this.open();
      else if (!items.length) this.close();
    }

    open() {
      this.listbox.hidden = false;
      this.input.setAttribute("aria-expanded", "true");
    }

    close() {
      this.listbox.hidden = true;
      this.input.setAttribute("aria-expanded", "false");
      this.input.removeAttribute("aria-activedescendant");
      this.setActive(-1);
    }

    setActive(index) {
      const options = this.listbox.children;
      if (this.active >= 0 && options[this.active]) options[this.active].setAttribute("aria-selected", "false");
      this.active = index;
      if (index < 0 || !options[index]) {
        this.input.removeAttribute("aria-activedescendant");
        return;
      }
      options[index].setAttribute("aria-selected", "true");
      this.input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }

    onKeyDown(event) {
      const count = this.results.length;
      const expanded = !this.listbox.hidden;
      switch (event.key) {
        case "ArrowDown":
        case "ArrowUp": {
          if (!count) return;
          event.preventDefault();
          const step = event.key === "ArrowDown" ? 1 : -1;
          if (!expanded) {
            this.open();
            this.setActive(step > 0 ? 0 : count - 1);
          } else {
            this.setActive((this.active + step + count) % count);
          }
          break;
        }
        case "Enter":
          if (expanded && this.active >= 0) {
            event.preventDefault();
            this.choose(this.active);
          }
          break;
        case "Escape":
          event.preventDefault();
          if (expanded) this.close();
          else {
            this.input.value = "";
            this.scheduleSearch();
          }
          break;
        case "Tab":
          this.close();
          break;
        default:
      }
    }

    choose(index) {
      const item = this.results[index];
      if (!item) return;
      this.input.value = item.symbol;
      this.close();
      this.say(TEXT.chosen(item.symbol));
      this.show(item);
    }

    say(message, isError = false) {
      this.status.textContent = message;
      this.status.classList.toggle("error", isError);
    }

    // --- the card and the lineage ------------------------------------------------------------

    /** Show a document's card, then load what it implements and who implements it. */
    async show(doc) {
      this.dispatchEvent(new CustomEvent("lexgraph-select", { detail: { document: doc }, bubbles: true, composed: true }));
      if (this.detailController) this.detailController.abort();
      const controller = (this.detailController = new AbortController());
      const issuer = el("dd", {}, doc.issuer || "—");
      const lineage = el("div", { class: "lineage" }, el("p", { class: "status" }, TEXT.loading));
      this.detail.replaceChildren(this.card(doc, issuer), lineage);
      this.detail.hidden = false;
      const key = encodeURIComponent(doc.key);
      const signal = controller.signal;
      if (doc.issuer) {
        this.getJson(`/organizations/${encodeURIComponent(doc.issuer)}`, [], signal)
          .then((org) => (issuer.textContent = org.name))
          .catch(() => {});
      }
      try {
        const [up, implementers] = await Promise.all([
          this.getJson(`/documents/${key}/lineage`, [["direction", "up"]], signal),
          this.getJson(`/documents/${key}/implementers`, [], signal),
        ]);
        lineage.replaceChildren(...this.lineageView(doc, up, implementers));
      } catch (error) {
        if (error.name === "AbortError") return;
        lineage.replaceChildren(el("p", { class: "status error" }, TEXT.loadFailed));
      }
    }

    card(doc, issuer) {
      const status = doc.status || "unknown";
      const rows = [
        [TEXT.type, doc.type],
        [TEXT.date, formatDate(doc.date)],
        [TEXT.issuer, issuer],
        [TEXT.level, levelName(doc.level)],
        [TEXT.term, doc.term],
      ].filter(([, value]) => value);
      return el(
        "article",
        { class: "card", "aria-labelledby": "card-symbol" },
        el(
          "div",
          { class: "card-head" },
          el("h2", { id: "card-symbol" }, doc.symbol),
          el("span", { class: `badge ${status}`, title: TEXT.status }, STATUS_NAMES[status] || status),
        ),
        el("p", { class: "card-title" }, doc.title || ""),
        el("dl", {}, rows.flatMap(([name, value]) => [el("dt", {}, name), value instanceof Node ? value : el("dd", {}, value)])),
        doc.stub ? el("p", { class: "note" }, TEXT.stub) : null,
      );
    }

    lineageView(root, up, implementerPage) {
      const implementers = implementerPage.items;
      const symbols = new Map([...up.nodes, ...implementers].map((doc) => [doc.key, doc.symbol]));
      const symbolOf = (key) => symbols.get(key) || key;
      // Each document the root rests on, with the links that reach it: "43-KL/TW tiếp tục thực hiện 25-NQ/TW".
      const upItems = up.nodes
        .filter((doc) => doc.key !== root.key)
        .map((doc) => ({
          doc,
          line: up.edges
            .filter((edge) => edge.target === doc.key)
            .map((edge) => `${symbolOf(edge.source)} ${RELATION_NAMES[edge.relation] || edge.relation} ${doc.symbol}`)
            .join("; "),
          children: [],
        }));
      // Each implementer with the chain it goes through and the implementers that go through it.
      const downItems = implementers.map((doc) => ({
        doc,
        line: doc.via.length ? `${TEXT.via} ${doc.via.map(symbolOf).join(" → ")}` : TEXT.direct,
        children: implementers.filter((other) => other.via[other.via.length - 1] === doc.key),
      }));
      return [
        el("h3", {}, `${TEXT.up} (${upItems.length})`),
        this.levelTree(upItems, "up"),
        el("h3", {}, `${TEXT.down} (${implementerPage.total ?? downItems.length})`),
        this.levelTree(downItems, "down", implementerPage.level_counts),
        el("h3", {}, TEXT.graph),
        this.graph(root, up, implementers),
      ];
    }

    /** Documents grouped by level (central → province → district), each expandable to its details;
     *  ``counts`` per level over the whole answer show how many more there are than listed. */
    levelTree(items, direction, counts = {}) {
      if (!items.length) return el("p", { class: "note" }, TEXT.empty);
      const groups = LEVELS.map(([level, name]) => [level, name, items.filter((item) => item.doc.level === level)]);
      const unknown = items.filter((item) => !LEVEL_NAMES[item.doc.level]);
      if (unknown.length) groups.push(["", "Khác", unknown]);
      return el(
        "div",
        { class: `tree-${direction}` },
        groups
          .filter(([, , members]) => members.length)
          .map(([level, name, members]) =>
            el(
              "details",
              { class: "group", open: true, style: `--level-color: ${LEVEL_COLORS[level] || "#9aa5b1"}`, "data-level": level },
              el("summary", {}, name, el("span", { class: "count" }, countText(members.length, counts[level]))),
              el("ul", { class: "tree" }, members.map((item) => this.treeNode(item))),
            ),
          ),
      );
    }

    treeNode({ doc, line, children }) {
      return el(
        "li",
        { "data-key": doc.key },
        el(
          "details",
          {},
          el("summary", {}, el("span", { class: "symbol" }, doc.symbol), " ", el("span", { class: "meta" }, [doc.type, formatDate(doc.date)].filter(Boolean).join(" · "))),
          el(
            "div",
            { class: "node-body" },
            el("p", {}, doc.title || ""),
            line ? el("p", { class: "meta" }, line) : null,
            children.length ? el("p", { class: "meta" }, `${TEXT.implementedBy}: ${children.map((c) => c.symbol).join(", ")}`) : null,
            el("button", { type: "button", class: "open", onclick: () => this.show(doc) }, `${TEXT.open} ${doc.symbol}`),
          ),
        ),
      );
    }

    /** A layered drawing: what the document rests on above it, its implementers below, arrows pointing up. */
    graph(root, up, implementers) {
      const rows = new Map([[0, [root]]]);
      const place = (row, doc) => rows.set(row, [...(rows.get(row) || []), doc]);
      for (const node of up.nodes) if (node.key !== root.key) place(-node.depth, node);
      for (const doc of implementers) place(doc.via.length + 1, doc);
      const edges = up.edges.map((e) => [e.source, e.target]);
      for (const doc of implementers) {
        const chain = [root.key, ...doc.via, doc.key];
        for (let i = 1; i < chain.length; i += 1) edges.push([chain[i], chain[i - 1]]);
      }
      const boxW = 118;
      const boxH = 40;
      const gapX = 14;
      const gapY = 46;
      const order = [...rows.keys()].sort((a, b) => a - b);
      const widest = Math.min(MAX_ROW, Math.max(...[...rows.values()].map((r) => r.length)));
      const width = widest * (boxW + gapX) + gapX;
      const height = order.length * (boxH + gapY) - gapY + 2 * 12;
      const positions = new Map();
      const nodes = [];
      const centre = (key) => (positions.has(key) ? positions.get(key).x + boxW / 2 : null);
      // Rows are laid out from the document outwards, each block shifted towards the nodes it links to.
      const outwards = [...order].sort((a, b) => Math.abs(a) - Math.abs(b) || a - b);
      for (const row of outwards) {
        const docs = rows.get(row);
        const pull = (doc) => {
          const xs = edges.filter((e) => e.includes(doc.key)).map(([s, t]) => centre(s === doc.key ? t : s)).filter((x) => x !== null);
          return xs.length ? xs.reduce((sum, x) => sum + x, 0) / xs.length : width / 2;
        };
        const sorted = docs.map((doc) => [pull(doc), doc]).sort((a, b) => a[0] - b[0]).map(([, doc]) => doc);
        const shown = sorted.length > MAX_ROW ? sorted.slice(0, MAX_ROW - 1) : sorted;
        const cells = shown.length + (sorted.length > shown.length ? 1 : 0);
        const blockWidth = cells * (boxW + gapX) - gapX;
        const wanted = shown.reduce((sum, doc) => sum + pull(doc), 0) / shown.length - blockWidth / 2;
        const left = Math.max(gapX, Math.min(width - gapX - blockWidth, wanted));
        const y = 12 + order.indexOf(row) * (boxH + gapY);
        shown.forEach((doc, i) => {
          const x = left + i * (boxW + gapX);
          if (!positions.has(doc.key)) positions.set(doc.key, { x, y });
          nodes.push(this.graphNode(doc, x, y, boxW, boxH, doc.key === root.key));
        });
        if (cells > shown.length) {
          const x = left + shown.length * (boxW + gapX);
          nodes.push(svg("g", { class: "more" },
            svg("rect", { x, y, width: boxW, height: boxH, rx: 6, fill: "#f5f7fa", stroke: "#9aa5b1", "stroke-dasharray": "4 3" }),
            svg("text", { x: x + boxW / 2, y: y + boxH / 2 + 4, "text-anchor": "middle", "font-size": 12, fill: "#52606d" }, TEXT.more(sorted.length - shown.length))));
        }
      }
      const seen = new Set();
      const lines = [];
      for (const [source, target] of edges) {
        const from = positions.get(source);
        const to = positions.get(target);
        const id = `${source}>${target}`;
        if (!from || !to || seen.has(id)) continue;
        seen.add(id);
        const x1 = from.x + boxW / 2;
        const y1 = from.y;
        const x2 = to.x + boxW / 2;
        const y2 = to.y + boxH;
        const bend = from.y === to.y ? -gapY : (y2 - y1) / 2;
        lines.push(svg("path", {
          d: `M ${x1} ${y1} C ${x1} ${y1 + bend}, ${x2} ${y2 - bend}, ${x2} ${y2}`,
          fill: "none", stroke: "#7b8794", "stroke-width": 1.4, "marker-end": "url(#arrow)",
        }));
      }
      const drawing = svg(
        "svg",
        { viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": TEXT.graphLabel(root.symbol) },
        svg("defs", {}, svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
          svg("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#7b8794" }))),
        ...lines,
        ...nodes,
      );
      const legend = el("div", { class: "legend" },
        LEVELS.filter(([level]) => [...rows.values()].flat().some((d) => d.level === level))
          .map(([level, name]) => el("span", { style: `--c: ${LEVEL_COLORS[level]}` }, name)));
      return el("div", { class: "graph" }, drawing, legend);
    }

    graphNode(doc, x, y, w, h, isRoot) {
      const color = LEVEL_COLORS[doc.level] || "#52606d";
      const node = svg(
        "g",
        { class: "node", tabindex: isRoot ? -1 : 0, role: isRoot ? "presentation" : "button", "aria-label": `${doc.symbol}: ${doc.title || ""}`, "data-key": doc.key },
        svg("title", {}, `${doc.symbol} — ${doc.title || ""}`),
        svg("rect", { x, y, width: w, height: h, rx: 6, fill: isRoot ? color : "#fff", stroke: color, "stroke-width": isRoot ? 2 : 1.5 }),
        svg("text", { x: x + w / 2, y: y + 17, "text-anchor": "middle", "font-size": 13, "font-weight": 700, fill: isRoot ? "#fff" : color }, shorten(doc.symbol, 16)),
        svg("text", { x: x + w / 2, y: y + 32, "text-anchor": "middle", "font-size": 10.5, fill: isRoot ? "#fff" : "#52606d" },
          shorten([levelName(doc.level), doc.year].filter(Boolean).join(" · "), 20)),
      );
      if (!isRoot) {
        node.addEventListener("click", () => this.show(doc));
        node.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            this.show(doc);
          }
        });
      }
      return node;
    }
  }

  customElements.define("lexgraph-lookup", LexgraphLookup);
})();
