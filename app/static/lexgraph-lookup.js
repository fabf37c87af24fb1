/*
 * <lexgraph-lookup>: a document lookup for Vietnamese Party and State documents, served by lexgraph.
 *
 *   <script src="https://API/widget/lexgraph-lookup.js" defer></script>
 *   <lexgraph-lookup></lexgraph-lookup>
 *
 * Attributes: api-base (the lexgraph API; by default the origin this script was loaded from),
 * limit (suggestions shown, 1..50, default 8), placeholder, lang ("vi" or "en"; by default the page's).
 * Requests are plain GETs with no custom headers, so another origin needs only to be listed in the API's
 * LEXGRAPH_CORS_ORIGINS (no preflight). Choosing a document fires "lexgraph-select" (detail: {document}).
 * Lineages of any size are read a page at a time ("show more"); the drawing folds each level into one
 * box with its count until it is opened. A document's timeline (issued, in force, amended by, replaced
 * by, ...) lists each event with the document that made it, which opens on a click.
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
  const PAGE = 100;
  const NARROW = 480;
  const SVG_NS = "http://www.w3.org/2000/svg";
  const LEVEL_ORDER = ["central", "ministry", "province", "district", "commune", "unit", ""];
  const LEVEL_COLORS = { central: "#a51d24", ministry: "#7b4397", province: "#1d4ed8", district: "#047857", commune: "#b45309", unit: "#52606d", "": "#52606d" };
  // Each relation is drawn in a colour and a dash pattern of its own, and named in the legend and the lists.
  const RELATION_STYLES = {
    implements: ["#1d4ed8", ""],
    continues: ["#0e7490", "9 3"],
    based_on: ["#7b4397", "2 3"],
    guides: ["#047857", "9 3 2 3"],
    cites: ["#616e7c", "1 4"],
    amends: ["#b45309", "6 2"],
    replaces: ["#a51d24", "12 4"],
    repeals: ["#7a1010", "3 2"],
  };

  const TEXTS = {
    vi: {
      levels: { central: "Trung ương", ministry: "Bộ, ngành", province: "Cấp tỉnh", district: "Cấp huyện", commune: "Cấp xã", unit: "Cơ sở", "": "Khác" },
      statuses: {
        in_force: "Còn hiệu lực", amended: "Đã được sửa đổi", partly_repealed: "Bị bãi bỏ một phần", replaced: "Đã bị thay thế",
        repealed: "Đã bị bãi bỏ", expired: "Hết hiệu lực", not_yet_in_force: "Chưa có hiệu lực", unknown: "Chưa rõ hiệu lực",
      },
      relations: {
        implements: "thực hiện", continues: "tiếp tục thực hiện", cites: "dẫn chiếu", based_on: "căn cứ", guides: "hướng dẫn",
        amends: "sửa đổi", replaces: "thay thế", repeals: "bãi bỏ",
      },
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
      number: "Số",
      date: "Ngày ban hành",
      issuer: "Cơ quan ban hành",
      level: "Cấp",
      term: "Khóa",
      status: "Hiệu lực",
      stub: "Văn bản chỉ được biết qua trích dẫn; thông tin có thể chưa đầy đủ.",
      up: "Văn bản này thực hiện, căn cứ",
      down: "Văn bản thực hiện, hướng dẫn văn bản này",
      empty: "Chưa ghi nhận văn bản nào.",
      numbered: (type, number) => `${type || "Văn bản"} số ${number}`,
      open: "Xem văn bản",
      more: (n, left) => `Hiện thêm ${n} văn bản (còn ${left})`,
      shown: (shown, total) => `Đang hiện ${shown} / ${total} văn bản.`,
      graph: "Sơ đồ quan hệ",
      graphLabel: (symbol) => `Sơ đồ quan hệ của văn bản ${symbol}, theo cấp; chọn một cấp để mở hoặc thu gọn`,
      cluster: (level, n, open) => `${level}: ${n} văn bản, ${open ? "đang mở, chọn để thu gọn" : "chọn để mở"}`,
      overflow: (n) => `+${n} văn bản`,
      legend: "Chú giải quan hệ",
      unknownDate: "Chưa rõ",
      timeline: "Diễn biến hiệu lực",
      timelineLoading: "Đang tải diễn biến hiệu lực…",
      timelineFailed: "Không tải được diễn biến hiệu lực của văn bản này.",
      // Timeline events; the quoted keys tell them apart from the statuses and relations of the same names.
      events: {
        "issued": "Ban hành", "in_force": "Có hiệu lực", "amended": "Được sửa đổi bởi", "partly_repealed": "Bị bãi bỏ một phần bởi",
        "replaced": "Bị thay thế bởi", "repealed": "Bị bãi bỏ bởi", "expired": "Hết hiệu lực",
        "amends": "Sửa đổi", "replaces": "Thay thế", "repeals": "Bãi bỏ", "partly_repeals": "Bãi bỏ một phần",
      },
    },
    en: {
      levels: { central: "Central", ministry: "Ministry", province: "Province", district: "District", commune: "Commune", unit: "Grassroots", "": "Other" },
      statuses: {
        in_force: "In force", amended: "Amended", partly_repealed: "Partly repealed", replaced: "Replaced", repealed: "Repealed",
        expired: "Expired", not_yet_in_force: "Not yet in force", unknown: "Status unknown",
      },
      relations: {
        implements: "implements", continues: "continues", cites: "cites", based_on: "is based on", guides: "guides",
        amends: "amends", replaces: "replaces", repeals: "repeals",
      },
      label: "Document lookup",
      detail: "Document details",
      placeholder: "Document number or title, e.g. resolution 25, KL43",
      listbox: "Documents found",
      hint: "Type at least 2 characters to search.",
      searching: "Searching…",
      none: "No matching document.",
      found: (n) => `${n} documents. Use the up and down arrow keys to choose, Enter to open.`,
      tooLong: `The query is too long (at most ${MAX_QUERY} characters).`,
      failed: "The lookup server could not be reached. Please try again.",
      chosen: (symbol) => `Document ${symbol} chosen.`,
      loading: "Loading the document's relations…",
      loadFailed: "The relations of this document could not be loaded.",
      type: "Type",
      number: "Number",
      date: "Issued on",
      issuer: "Issued by",
      level: "Level",
      term: "Term",
      status: "Status",
      stub: "Known only from citations; the details may be incomplete.",
      up: "This document implements or rests on",
      down: "Documents implementing or guiding this one",
      empty: "None recorded.",
      numbered: (type, number) => `${type || "Document"} no. ${number}`,
      open: "Open",
      more: (n, left) => `Show ${n} more (${left} left)`,
      shown: (shown, total) => `Showing ${shown} of ${total} documents.`,
      graph: "Relation map",
      graphLabel: (symbol) => `Relation map of ${symbol}, by level; choose a level to open or fold it`,
      cluster: (level, n, open) => `${level}: ${n} documents, ${open ? "open, choose to fold" : "choose to open"}`,
      overflow: (n) => `+${n} more`,
      legend: "Relations",
      unknownDate: "Unknown",
      timeline: "Timeline",
      timelineLoading: "Loading the timeline…",
      timelineFailed: "The timeline of this document could not be loaded.",
      events: {
        "issued": "Issued", "in_force": "In force", "amended": "Amended by", "partly_repealed": "Partly repealed by",
        "replaced": "Replaced by", "repealed": "Repealed by", "expired": "Expired",
        "amends": "Amends", "replaces": "Replaces", "repeals": "Repeals", "partly_repeals": "Partly repeals",
      },
    },
  };

  const STYLE = `
:host { display: block; container-type: inline-size; font: 15px/1.5 system-ui, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif;
  color: #1f2933; --lexgraph-accent: #a51d24; --lexgraph-border: #8a96a3; --lexgraph-muted: #4b5563; --lexgraph-bg: #fff; }
* { box-sizing: border-box; }
.label { display: block; font-weight: 600; margin-bottom: .25rem; }
.field { position: relative; }
input { width: 100%; font: inherit; padding: .6rem .8rem; border: 1px solid var(--lexgraph-border); border-radius: 6px;
  background: var(--lexgraph-bg); color: inherit; }
input:focus, h2:focus, button:focus-visible, summary:focus-visible, .graph [tabindex]:focus-visible { outline: 2px solid var(--lexgraph-accent); outline-offset: 1px; }
[role=listbox] { position: absolute; z-index: 10; left: 0; right: 0; top: calc(100% + 2px); margin: 0; padding: .25rem 0;
  list-style: none; max-height: 24rem; overflow-y: auto; background: var(--lexgraph-bg); border: 1px solid var(--lexgraph-border);
  border-radius: 6px; box-shadow: 0 6px 18px rgba(0,0,0,.12); }
[role=option] { padding: .45rem .8rem; cursor: pointer; border-left: 3px solid transparent; }
[role=option][aria-selected=true] { background: #fdf1f1; border-left-color: var(--lexgraph-accent); }
.option-head, .node-head { display: flex; gap: .2rem .5rem; align-items: baseline; flex-wrap: wrap; }
.symbol { font-weight: 700; }
.meta { color: var(--lexgraph-muted); font-size: .85em; }
.option-title { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; font-size: .92em; }
mark { background: #fff3b0; color: inherit; padding: 0 1px; border-radius: 2px; }
.status { min-height: 1.5em; margin: .35rem 0 0; color: var(--lexgraph-muted); font-size: .88em; }
.status.error { color: #b42318; }
.card { margin-top: 1rem; border: 1px solid var(--lexgraph-border); border-radius: 8px; padding: 1rem 1.1rem; background: var(--lexgraph-bg); }
.card-head { display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; }
.card h2 { margin: 0; font-size: 1.35rem; color: var(--lexgraph-accent); overflow-wrap: anywhere; }
.badge { font-size: .78rem; padding: .05rem .5rem; border-radius: 999px; background: #e4e7eb; color: #323f4b; white-space: nowrap; }
.badge.in_force { background: #e3f9e5; color: #0e5a1c; }
.badge.amended, .badge.partly_repealed { background: #fff4d6; color: #6b3f00; }
.badge.expired, .badge.repealed, .badge.replaced { background: #fde8e8; color: #8a1c1c; }
.badge.not_yet_in_force { background: #e0ecff; color: #1e3a8a; }
.card-title { margin: .5rem 0 .75rem; font-size: 1.02rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
dt { color: var(--lexgraph-muted); }
dd { margin: 0; overflow-wrap: anywhere; }
.note { font-size: .85em; color: var(--lexgraph-muted); font-style: italic; }
h3 { font-size: 1rem; margin: 1.1rem 0 .4rem; }
details.group { border-left: 3px solid var(--level-color, #9aa5b1); padding-left: .6rem; margin: .35rem 0; }
details.group > summary { font-weight: 600; cursor: pointer; }
.count { display: inline-block; min-width: 1.4em; text-align: center; font-size: .8em; background: #e4e7eb; border-radius: 999px; margin-left: .35rem; padding: 0 .4rem; }
ul.tree { list-style: none; margin: .2rem 0 .2rem .2rem; padding: 0; }
ul.tree li { margin: .15rem 0; }
ul.tree details > summary { cursor: pointer; list-style-position: outside; }
.node-body { margin: .2rem 0 .4rem 1.1rem; font-size: .92em; }
.node-body p { margin: .15rem 0; }
.rel { display: flex; align-items: center; gap: .3em; }
.rel svg { flex: none; }
button { font: inherit; font-size: .85em; border: 1px solid var(--lexgraph-border); background: #f5f7fa; color: #1f2933; border-radius: 4px; padding: .2rem .6rem; cursor: pointer; }
button:hover { border-color: var(--lexgraph-accent); }
button.more { display: block; margin: .5rem 0; padding: .45rem .8rem; }
.graph { margin-top: .4rem; overflow-x: auto; }
.graph svg.map { display: block; max-width: 100%; height: auto; margin: 0 auto; }
.graph [tabindex] { cursor: pointer; }
.graph [tabindex]:hover rect { stroke-width: 3; }
.legend { display: flex; justify-content: center; gap: .3rem 1rem; flex-wrap: wrap; font-size: .8em; color: var(--lexgraph-muted); margin: .3rem 0 0; padding: 0; list-style: none; }
ol.events { list-style: none; margin: .2rem 0; padding: 0; border-left: 2px solid var(--lexgraph-border); }
ol.events li { display: flex; flex-wrap: wrap; align-items: baseline; gap: .1rem .5rem; padding: .15rem 0 .15rem .7rem; }
ol.events time { min-width: 6em; color: var(--lexgraph-muted); font-variant-numeric: tabular-nums; }
ol.events button { font-weight: 600; overflow-wrap: anywhere; }
[hidden] { display: none !important; }
@container (max-width: 400px) {
  :host { font-size: 14px; }
  .card { padding: .75rem; }
  dl { grid-template-columns: 1fr; gap: 0; }
  dd { margin-bottom: .35rem; }
  .node-body { margin-left: .3rem; }
  ul.tree { margin-left: 0; }
  button.more { width: 100%; min-height: 44px; }
  ol.events button { min-height: 44px; }
  details.group > summary, ul.tree summary { min-height: 32px; padding: .2rem 0; }
  .legend { justify-content: flex-start; }
}
`;

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
    for (const [name, value] of Object.entries(attrs)) if (value !== null && value !== undefined) node.setAttribute(name, String(value));
    node.append(...children);
    return node;
  };
  const shorten = (text, max) => (text && text.length > max ? `${text.slice(0, max - 1)}…` : text || "");
  const levelOf = (doc) => (LEVEL_ORDER.includes(doc.level) ? doc.level : "");
  const countText = (shown, total) => (total > shown ? `${shown} / ${total}` : String(shown));
  /** A small line in a relation's colour and dash: drawn beside its name, never in place of it. */
  const relationSwatch = (relation) => {
    const [color, dash] = RELATION_STYLES[relation] || ["#616e7c", ""];
    return svg("svg", { width: 26, height: 8, "aria-hidden": "true", focusable: "false" },
      svg("line", { x1: 1, y1: 4, x2: 25, y2: 4, stroke: color, "stroke-width": 2.5, "stroke-dasharray": dash || null }));
  };

  /** The server's highlight (escaped text with <mark>) as nodes, keeping nothing but text and <mark>. */
  const highlightNodes = (html, fallback) => {
    if (!html) return [document.createTextNode(fallback || "")];
    const template = document.createElement("template");
    template.innerHTML = html;
    return Array.from(template.content.childNodes, (node) =>
      node.nodeName === "MARK" ? el("mark", {}, node.textContent) : document.createTextNode(node.textContent),
    );
  };

  // Organization names by API base and key, shared by every widget of the page: one request per issuer.
  const ORGANIZATIONS = new Map();

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
      this.narrow = false;
      this.root = null;
      this.resizer = new ResizeObserver(() => {
        const narrow = this.clientWidth <= NARROW;
        if (narrow !== this.narrow && this.graphBox) this.drawGraph();
        this.narrow = narrow;
      });
      this.attachShadow({ mode: "open" });
    }

    connectedCallback() {
      if (this.input) return;
      const t = (this.t = TEXTS[(this.closest("[lang]")?.getAttribute("lang") || "vi").toLowerCase().startsWith("en") ? "en" : "vi"]);
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
        placeholder: this.getAttribute("placeholder") || t.placeholder,
        oninput: () => this.scheduleSearch(),
        onkeydown: (event) => this.onKeyDown(event),
        onblur: () => this.close(),
        onfocus: () => this.results.length && this.input.value.trim().length >= MIN_QUERY && this.open(),
      });
      this.listbox = el("ul", { id: "results", role: "listbox", "aria-label": t.listbox, "aria-busy": "false", hidden: true });
      this.status = el("p", { id: "status", class: "status", role: "status", "aria-live": "polite" });
      this.detail = el("section", { class: "detail", "aria-label": t.detail, hidden: true });
      this.shadowRoot.append(
        el("style", {}, STYLE),
        el("label", { class: "label", for: "query" }, t.label),
        el("div", { class: "field" }, this.input, this.listbox),
        this.status,
        this.detail,
      );
      this.resizer.observe(this);
    }

    attributeChangedCallback(name, _old, value) {
      if (name === "placeholder" && this.input) this.input.placeholder = value || this.t.placeholder;
    }

    disconnectedCallback() {
      clearTimeout(this.timer);
      this.resizer.disconnect();
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

    /** An organization's name (its key if it cannot be read), asked of the API once per page and key. */
    orgName(key) {
      if (!key) return Promise.resolve("");
      const id = `${this.apiBase} ${key}`;
      if (!ORGANIZATIONS.has(id)) {
        ORGANIZATIONS.set(id, this.getJson(`/organizations/${encodeURIComponent(key)}`, []).then((org) => org.name, () => key));
      }
      return ORGANIZATIONS.get(id);
    }

    formatDate(iso) {
      return iso ? iso.split("-").reverse().join("/") : this.t.unknownDate;
    }

    levelName(level) {
      return this.t.levels[level] ?? level ?? "";
    }

    // --- the combobox ---------------------------------------------------------------------------

    scheduleSearch() {
      clearTimeout(this.timer);
      const query = this.input.value.trim();
      if (query.length < MIN_QUERY) {
        if (this.controller) this.controller.abort();
        this.sequence += 1;
        this.setBusy(false);
        this.setResults([]);
        this.say(query ? this.t.hint : "");
        return;
      }
      if (query.length > MAX_QUERY) {
        this.setBusy(false);
        this.say(this.t.tooLong, true);
        return;
      }
      // Busy from the keystroke, not from the request: the list shown until then answers an older query.
      this.setBusy(true);
      this.timer = setTimeout(() => this.search(query), DEBOUNCE_MS);
    }

    async search(query) {
      if (this.controller) this.controller.abort();
      this.controller = new AbortController();
      const sequence = ++this.sequence;
      this.say(this.t.searching);
      try {
        const body = await this.getJson("/search", [["q", query], ["limit", String(this.limit)]], this.controller.signal);
        if (sequence !== this.sequence) return;
        this.setBusy(false);
        this.setResults(body.items);
        this.say(body.items.length ? this.t.found(body.items.length) : this.t.none);
      } catch (error) {
        if (error.name === "AbortError" || sequence !== this.sequence) return;
        this.setBusy(false);
        this.setResults([]);
        this.say(this.t.failed, true);
      }
    }

    setBusy(busy) {
      this.listbox.setAttribute("aria-busy", String(busy));
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
              el("span", { class: "meta" }, [item.type, this.formatDate(item.date), this.levelName(item.level)].filter(Boolean).join(" · ")),
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
      this.say(this.t.chosen(item.symbol));
      this.show(item);
    }

    say(message, isError = false) {
      this.status.textContent = message;
      this.status.classList.toggle("error", isError);
    }

    // --- the card and the lineage ------------------------------------------------------------

    /** Show a document's card, then the first page of what it rests on and of what descends from it. */
    async show(doc) {
      const t = this.t;
      this.dispatchEvent(new CustomEvent("lexgraph-select", { detail: { document: doc }, bubbles: true, composed: true }));
      if (this.detailController) this.detailController.abort();
      this.detailController = new AbortController();
      this.root = doc;
      this.symbols = new Map([[doc.key, doc.symbol]]);
      this.unfolded = new Set(["up:central", "up:ministry", "down:central", "down:ministry"]);
      this.lists = { up: this.newList("up"), down: this.newList("down") };
      this.graphBox = null;
      const lineage = el("div", { class: "lineage" }, el("p", { class: "status" }, t.loading));
      const timeline = el("section", { class: "timeline", "aria-labelledby": "timeline-title" },
        el("h3", { id: "timeline-title" }, t.timeline), el("p", { class: "status" }, t.timelineLoading));
      this.detail.replaceChildren(this.card(doc), timeline, lineage);
      this.detail.hidden = false;
      this.loadTimeline(doc, timeline);
      try {
        await Promise.all([this.loadPage(this.lists.up), this.loadPage(this.lists.down)]);
      } catch (error) {
        if (error.name !== "AbortError") lineage.replaceChildren(el("p", { class: "status error" }, t.loadFailed));
        return;
      }
      this.graphBox = el("div", { class: "graph" });
      lineage.replaceChildren(
        el("h3", { id: "up-title" }, t.up, this.lists.up.count),
        this.lists.up.element,
        el("h3", { id: "down-title" }, t.down, this.lists.down.count),
        this.lists.down.element,
        el("h3", {}, t.graph),
        this.graphBox,
      );
      this.drawGraph();
    }

    card(doc) {
      const t = this.t;
      const status = doc.status || "unknown";
      const issuer = el("dd", {}, doc.issuer || "—");
      this.orgName(doc.issuer).then((name) => name && (issuer.textContent = name));
      const rows = [
        [t.type, doc.type],
        [t.number, doc.number],
        [t.date, this.formatDate(doc.date)],
        [t.issuer, issuer],
        [t.level, this.levelName(doc.level)],
        [t.term, doc.term],
      ].filter(([, value]) => value);
      return el(
        "article",
        { class: "card", "aria-labelledby": "card-symbol" },
        el("div", { class: "card-head" }, el("h2", { id: "card-symbol", tabindex: -1 }, doc.symbol || doc.title || doc.key), this.badge(status)),
        el("p", { class: "card-title" }, doc.title || ""),
        el("dl", {}, rows.flatMap(([name, value]) => [el("dt", {}, name), value instanceof Node ? value : el("dd", {}, value)])),
        doc.stub ? el("p", { class: "note" }, t.stub) : null,
      );
    }

    /** The document's life in date order: each event, and the document that made it as a button opening it. */
    async loadTimeline(doc, section) {
      let body;
      try {
        body = await this.getJson(`/documents/${encodeURIComponent(doc.key)}/timeline`, [], this.detailController.signal);
      } catch (error) {
        if (error.name !== "AbortError") section.lastChild.replaceWith(el("p", { class: "status error" }, this.t.timelineFailed));
        return;
      }
      section.lastChild.replaceWith(el("ol", { class: "events" }, body.entries.map((entry) => this.timelineEntry(entry))));
    }

    timelineEntry(entry) {
      const kind = entry.event === "repeals" && entry.partial ? "partly_repeals" : entry.event;
      return el("li", { "data-event": entry.event },
        el("time", { datetime: entry.day }, this.formatDate(entry.day)),
        el("span", {}, this.t.events[kind] || entry.event),
        entry.document
          ? el("button", { type: "button", "data-key": entry.document, onclick: () => this.openKey(entry.document) }, entry.symbol || entry.document)
          : null);
    }

    /** Open a document known by its key only, moving the focus to its card. */
    async openKey(key) {
      try {
        this.show(await this.getJson(`/documents/${encodeURIComponent(key)}`, [], this.detailController.signal));
      } catch (error) {
        if (error.name !== "AbortError") this.say(this.t.failed, true);
        return;
      }
      this.detail.querySelector("#card-symbol").focus();
    }

    badge(status) {
      return el("span", { class: `badge ${status}` }, this.t.statuses[status] || status);
    }

    newList(direction) {
      const list = { direction, nodes: [], edges: [], total: 0, counts: {}, next: null, groups: new Map() };
      list.count = el("span", { class: "count" }, "0");
      list.body = el("div", { class: "groups" });
      list.empty = el("p", { class: "note", hidden: true }, this.t.empty);
      list.more = el("button", { type: "button", class: "more", hidden: true, onclick: () => this.showMore(list) });
      list.said = el("p", { class: "meta", role: "status" });
      list.element = el("div", { class: `tree-${direction}` }, list.body, list.empty, list.more, list.said);
      return list;
    }

    /** Read the next page of a lineage and list it; the first page when none was read. */
    async loadPage(list) {
      const params = [["direction", list.direction], ["limit", String(PAGE)]];
      if (list.next) params.push(["next", list.next]);
      const key = encodeURIComponent(this.root.key);
      const page = await this.getJson(`/documents/${key}/lineage`, params, this.detailController.signal);
      const fresh = page.nodes.filter((doc) => doc.key !== this.root.key);
      for (const doc of fresh) this.symbols.set(doc.key, doc.symbol);
      list.nodes.push(...fresh);
      list.edges.push(...page.edges);
      list.total = Math.max(0, page.total - 1); // the root is counted in the lineage, not listed
      const rootLevel = this.root.level || "unknown";
      list.counts = Object.fromEntries(
        Object.entries(page.level_counts).map(([level, n]) => [level === "unknown" ? "" : level, n - (level === rootLevel ? 1 : 0)]),
      );
      list.next = page.next ?? (page.next_offset != null ? String(page.next_offset) : null);
      this.listNodes(list, fresh);
    }

    async showMore(list) {
      list.more.disabled = true;
      try {
        await this.loadPage(list);
      } catch (error) {
        if (error.name !== "AbortError") list.said.textContent = this.t.loadFailed;
        return;
      } finally {
        list.more.disabled = false;
      }
      list.said.textContent = this.t.shown(list.nodes.length, list.total);
      if (list.next) list.more.focus();
      if (this.graphBox) this.drawGraph();
    }

    /** Add documents to their level's group (central → province → commune), counts over the whole lineage. */
    listNodes(list, docs) {
      for (const doc of docs) {
        const level = levelOf(doc);
        if (!list.groups.has(level)) {
          const count = el("span", { class: "count" });
          const items = el("ul", { class: "tree" });
          const group = el(
            "details",
            { class: "group", open: true, style: `--level-color: ${LEVEL_COLORS[level]}`, "data-level": level },
            el("summary", {}, this.levelName(level), count),
            items,
          );
          list.groups.set(level, { group, count, items, shown: 0 });
        }
        const entry = list.groups.get(level);
        entry.items.append(this.treeNode(doc, list));
        entry.shown += 1;
      }
      for (const [level, entry] of list.groups) entry.count.textContent = countText(entry.shown, list.counts[level] || entry.shown);
      list.body.replaceChildren(...LEVEL_ORDER.filter((level) => list.groups.has(level)).map((level) => list.groups.get(level).group));
      list.count.textContent = countText(list.nodes.length, list.total);
      list.empty.hidden = list.nodes.length > 0;
      const left = list.total - list.nodes.length;
      list.more.hidden = !list.next || left <= 0;
      list.more.textContent = this.t.more(Math.min(PAGE, left), left);
    }

    /** What links a listed document to the rest: "thực hiện 43-KL/TW", each relation with its line. */
    relationLines(doc, list) {
      const symbol = (key) => this.symbols.get(key) || key;
      const down = list.direction === "down";
      return list.edges
        .filter((edge) => (down ? edge.source === doc.key : edge.target === doc.key))
        .map((edge) =>
          el("p", { class: "meta rel", "data-relation": edge.relation }, relationSwatch(edge.relation),
            down
              ? `${this.t.relations[edge.relation] || edge.relation} ${symbol(edge.target)}`
              : `${symbol(edge.source)} ${this.t.relations[edge.relation] || edge.relation} ${doc.symbol}`),
        );
    }

    treeNode(doc, list) {
      const t = this.t;
      const issuer = el("span", { class: "issuer" });
      this.orgName(doc.issuer || doc.jurisdiction).then((name) => (issuer.textContent = name));
      const what = doc.number ? t.numbered(doc.type, doc.number) : doc.type;
      return el(
        "li",
        { "data-key": doc.key },
        el(
          "details",
          {},
          el(
            "summary",
            {},
            el("span", { class: "node-head" },
              el("span", { class: "symbol" }, doc.symbol || shorten(doc.title, 60)),
              this.badge(doc.status || "unknown"),
              el("span", { class: "meta" }, [what, this.formatDate(doc.date)].filter(Boolean).join(" · "), " · ", issuer)),
          ),
          el(
            "div",
            { class: "node-body" },
            el("p", {}, doc.title || ""),
            this.relationLines(doc, list),
            el("button", { type: "button", class: "open", onclick: () => this.show(doc) }, `${t.open} ${doc.symbol || ""}`),
          ),
        ),
      );
    }

    /** The drawing: what the document rests on above it, what descends from it below, one row per level
     *  (central → province → commune). A folded level is one box with its count; opened on demand, it
     *  shows its documents read so far and how many more there are. Links are drawn per relation. */
    drawGraph() {
      const t = this.t;
      this.narrow = this.clientWidth <= NARROW;
      const perRow = this.narrow ? 3 : 6;
      const [boxW, boxH, gapX, gapY, pad] = [118, 46, 12, 46, 10];
      const boxOf = new Map([[this.root.key, "root"]]);
      const rowsOf = (list) =>
        LEVEL_ORDER.filter((level) => (list.counts[level] || 0) > 0).map((level) => {
          const id = `${list.direction}:${level}`;
          const total = list.counts[level];
          const docs = list.nodes.filter((doc) => levelOf(doc) === level);
          const open = this.unfolded.has(id);
          const cells = [{ kind: "cluster", id, level, total, open }];
          const shown = !open ? [] : total > perRow - 1 ? docs.slice(0, perRow - 2) : docs;
          for (const doc of docs) boxOf.set(doc.key, !open ? id : shown.includes(doc) ? doc.key : `${id}:more`);
          cells.push(...shown.map((doc) => ({ kind: "doc", id: doc.key, doc })));
          if (open && total > shown.length) cells.push({ kind: "more", id: `${id}:more`, count: total - shown.length });
          return cells;
        });
      const rows = [...rowsOf(this.lists.up), [{ kind: "root", id: "root", doc: this.root }], ...rowsOf(this.lists.down)];
      const width = perRow * (boxW + gapX) - gapX + 2 * pad;
      const height = rows.length * (boxH + gapY) - gapY + 2 * pad;
      const at = new Map();
      const boxes = rows.flatMap((cells, r) => {
        const left = (width - (cells.length * (boxW + gapX) - gapX)) / 2;
        return cells.map((cell, i) => {
          const x = left + i * (boxW + gapX);
          const y = pad + r * (boxH + gapY);
          at.set(cell.id, { x, y });
          return this.graphCell(cell, x, y, boxW, boxH);
        });
      });
      const drawn = new Map();
      for (const edge of [...this.lists.up.edges, ...this.lists.down.edges]) {
        const from = boxOf.get(edge.source);
        const to = boxOf.get(edge.target);
        if (from && to && from !== to) drawn.set(`${from}|${to}|${edge.relation}`, [from, to, edge.relation]);
      }
      const relations = [...new Set([...drawn.values()].map(([, , relation]) => relation))];
      const lines = [...drawn.values()].map(([from, to, relation]) => {
        const [a, b] = [at.get(from), at.get(to)];
        const [color, dash] = RELATION_STYLES[relation] || ["#616e7c", ""];
        const x1 = a.x + boxW / 2;
        const x2 = b.x + boxW / 2;
        const y1 = a.y >= b.y ? a.y : a.y + boxH;
        const y2 = a.y > b.y ? b.y + boxH : b.y;
        const bend = a.y === b.y ? -gapY / 1.5 : (y2 - y1) / 2;
        return svg("path", {
          d: `M ${x1} ${y1} C ${x1} ${y1 + bend}, ${x2} ${y2 - bend}, ${x2} ${y2}`,
          fill: "none", stroke: color, "stroke-width": 1.6, "stroke-dasharray": dash || null,
          "marker-end": `url(#arrow-${relation})`, "data-relation": relation,
        });
      });
      const markers = relations.map((relation) =>
        svg("marker", { id: `arrow-${relation}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
          svg("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: (RELATION_STYLES[relation] || ["#616e7c"])[0] })));
      const map = svg("svg", { class: "map", viewBox: `0 0 ${width} ${height}`, width, height, role: "group", "aria-label": t.graphLabel(this.root.symbol) },
        svg("defs", {}, ...markers), ...lines, ...boxes);
      const legend = el("ul", { class: "legend", "aria-label": t.legend },
        relations.map((relation) => el("li", { class: "rel", "data-relation": relation }, relationSwatch(relation), t.relations[relation] || relation)));
      this.graphBox.replaceChildren(map, legend);
    }

    graphCell(cell, x, y, w, h) {
      const t = this.t;
      const text = (dy, content, attrs = {}) =>
        svg("text", { x: x + w / 2, y: y + dy, "text-anchor": "middle", "font-size": 12, fill: "#1f2933", ...attrs }, content);
      const rect = (attrs) => svg("rect", { x, y, width: w, height: h, rx: 6, ...attrs });
      if (cell.kind === "more") {
        return svg("g", { class: "more", role: "img", "aria-label": t.overflow(cell.count) },
          rect({ fill: "#f5f7fa", stroke: "#7b8794", "stroke-dasharray": "4 3" }), text(h / 2 + 4, t.overflow(cell.count), { fill: "#4b5563" }));
      }
      if (cell.kind === "cluster") {
        const name = this.levelName(cell.level);
        // Named by its <title> (not aria-label), so that the name need not repeat the drawn text.
        const node = svg("g", { class: "cluster", role: "button", tabindex: 0, "aria-expanded": String(cell.open), "data-cluster": cell.id },
          svg("title", {}, t.cluster(name, cell.total, cell.open)),
          rect({ fill: "#f5f7fa", stroke: LEVEL_COLORS[cell.level], "stroke-width": 2, "stroke-dasharray": cell.open ? null : "6 3" }),
          text(19, `${cell.open ? "▾" : "▸"} ${shorten(name, 15)}`, { "font-weight": 700 }),
          text(36, String(cell.total), { "font-size": 11.5, fill: "#4b5563" }));
        return this.activate(node, () => {
          if (cell.open) this.unfolded.delete(cell.id);
          else this.unfolded.add(cell.id);
          this.drawGraph();
          this.graphBox.querySelector(`[data-cluster="${cell.id}"]`)?.focus();
        });
      }
      const doc = cell.doc;
      const isRoot = cell.kind === "root";
      const color = LEVEL_COLORS[levelOf(doc)];
      const label = [doc.symbol, doc.type, this.formatDate(doc.date), t.statuses[doc.status] || ""].filter(Boolean).join(", ");
      const node = svg("g", isRoot ? { class: "node root", role: "img" } : { class: "node", role: "button", tabindex: 0, "data-key": doc.key },
        svg("title", {}, label),
        rect({ fill: isRoot ? color : "#fff", stroke: color, "stroke-width": isRoot ? 2 : 1.5 }),
        text(19, shorten(doc.symbol || doc.title, 16), { "font-size": 13, "font-weight": 700, fill: isRoot ? "#fff" : color }),
        text(35, shorten([doc.type, doc.year].filter(Boolean).join(" · "), 20), { "font-size": 10.5, fill: isRoot ? "#fff" : "#4b5563" }));
      return isRoot ? node : this.activate(node, () => this.show(doc));
    }

    /** Make a drawn box act as a button: click, Enter or Space. */
    activate(node, action) {
      node.addEventListener("click", action);
      node.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          action();
        }
      });
      return node;
    }
  }

  customElements.define("lexgraph-lookup", LexgraphLookup);
})();
