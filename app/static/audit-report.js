/* <lexgraph-audit-report>: the printable audit of one document, drawn from /audit/implementation.
 * A tile map of the 34 provinces (from 2025-07-01), bars of the states, the overdue list and the indicators.
 * Plain custom element, no dependencies, nothing loaded from another host. Reads the row states
 * implemented_on_time | implemented_late | implemented | not_due | overdue | missing (`state`), and the
 * older `status` (implemented | missing | overdue | not_due) when that is all the API gives. */
(() => {
  "use strict";

  const STATES = ["implemented_on_time", "implemented_late", "implemented", "not_due", "overdue", "missing"];
  // The mark each state carries on the map and in the legend, so that colour is never the only cue.
  const MARKS = { implemented_on_time: "+", implemented_late: "~", implemented: "=", not_due: "·", overdue: "!", missing: "?", none: "" };
  const SOON_MARK = "*";

  // The 34 provinces from 2025-07-01 on a grid shaped like the country: [key, column, row, short label].
  const TILES = [
    ["lai-chau", 1, 0, "L.Châu"], ["lao-cai-2025", 2, 0, "Lào Cai"], ["tuyen-quang-2025", 3, 0, "T.Quang"],
    ["cao-bang", 4, 0, "C.Bằng"],
    ["dien-bien", 0, 1, "Đ.Biên"], ["son-la", 1, 1, "Sơn La"], ["phu-tho-2025", 2, 1, "Phú Thọ"],
    ["thai-nguyen-2025", 3, 1, "T.Nguyên"], ["lang-son", 4, 1, "L.Sơn"],
    ["ha-noi", 2, 2, "Hà Nội"], ["bac-ninh-2025", 3, 2, "B.Ninh"], ["quang-ninh", 4, 2, "Q.Ninh"],
    ["ninh-binh-2025", 2, 3, "N.Bình"], ["hung-yen-2025", 3, 3, "H.Yên"], ["hai-phong-2025", 4, 3, "H.Phòng"],
    ["thanh-hoa", 2, 4, "T.Hóa"],
    ["nghe-an", 2, 5, "N.An"],
    ["ha-tinh", 3, 6, "H.Tĩnh"],
    ["quang-tri-2025", 3, 7, "Q.Trị"],
    ["hue", 4, 8, "Huế"],
    ["da-nang-2025", 4, 9, "Đ.Nẵng"],
    ["quang-ngai-2025", 4, 10, "Q.Ngãi"],
    ["gia-lai-2025", 4, 11, "Gia Lai"],
    ["dak-lak-2025", 4, 12, "Đ.Lắk"],
    ["lam-dong-2025", 3, 13, "L.Đồng"], ["khanh-hoa-2025", 4, 13, "K.Hòa"],
    ["tay-ninh-2025", 1, 14, "T.Ninh"], ["ho-chi-minh-2025", 2, 14, "TP.HCM"], ["dong-nai-2025", 3, 14, "Đ.Nai"],
    ["an-giang-2025", 0, 15, "A.Giang"], ["dong-thap-2025", 1, 15, "Đ.Tháp"], ["vinh-long-2025", 2, 15, "V.Long"],
    ["ca-mau-2025", 0, 16, "Cà Mau"], ["can-tho-2025", 1, 16, "C.Thơ"],
  ];
  const TILE = 56;
  const GAP = 4;
  const COLUMNS = 5;

  const TEXT = {
    vi: {
      title: "Báo cáo kiểm tra thực hiện văn bản",
      asOf: "Tính đến ngày", level: "Cấp", print: "In / Lưu PDF", language: "Ngôn ngữ",
      states: {
        implemented_on_time: "Thực hiện đúng hạn", implemented_late: "Thực hiện chậm",
        implemented: "Đã thực hiện (không có hạn)", not_due: "Chưa đến hạn", overdue: "Quá hạn",
        missing: "Chưa thực hiện (không có hạn)", none: "Không thuộc diện",
      },
      soon: "sắp đến hạn", indicators: "Chỉ số", expected: "Số đơn vị phải thực hiện",
      deficit: "Tỷ lệ chưa thực hiện", onTime: "Tỷ lệ đúng hạn", rating: "Xếp loại",
      ratings: { green: "Xanh (đạt)", amber: "Vàng (cần chú ý)", red: "Đỏ (không đạt)" },
      map: "Bản đồ các tỉnh, thành phố theo trạng thái", legend: "Chú giải", bars: "Số đơn vị theo trạng thái",
      overdue: "Đơn vị quá hạn", unit: "Đơn vị", deadline: "Hạn", delay: "Số ngày chậm", daysLeft: "Còn (ngày)",
      state: "Trạng thái", documents: "Văn bản thực hiện", all: "Tất cả đơn vị", noOverdue: "Không có đơn vị quá hạn.",
      noRows: "Không có đơn vị nào phải thực hiện ở cấp này vào ngày này.", warnings: "Lưu ý",
      notOnMap: "Đơn vị không có trên bản đồ", loading: "Đang tải báo cáo…",
      noDocument: "Chưa chọn văn bản: thêm ?document=<khóa văn bản> vào địa chỉ.",
      failed: "Không tải được báo cáo", basis: "Theo các văn bản thực hiện có trong cơ sở dữ liệu; không đánh giá nội dung.",
      levels: { central: "Trung ương", ministry: "Bộ, ngành", province: "Tỉnh", district: "Huyện", commune: "Xã", unit: "Đơn vị" },
    },
    en: {
      title: "Implementation audit report",
      asOf: "As of", level: "Level", print: "Print / save as PDF", language: "Language",
      states: {
        implemented_on_time: "Implemented on time", implemented_late: "Implemented late",
        implemented: "Implemented (no deadline)", not_due: "Not yet due", overdue: "Overdue",
        missing: "Missing (no deadline)", none: "Not expected",
      },
      soon: "due soon", indicators: "Indicators", expected: "Units expected to implement",
      deficit: "Deficit", onTime: "On time", rating: "Rating",
      ratings: { green: "Green (on track)", amber: "Amber (watch)", red: "Red (off track)" },
      map: "Map of the provinces by state", legend: "Legend", bars: "Units by state",
      overdue: "Overdue units", unit: "Unit", deadline: "Deadline", delay: "Days late", daysLeft: "Days left",
      state: "State", documents: "Implementing documents", all: "All units", noOverdue: "No unit is overdue.",
      noRows: "No unit is expected to implement at this level on this day.", warnings: "Warnings",
      notOnMap: "Units not on the map", loading: "Loading the report…",
      noDocument: "No document chosen: add ?document=<document key> to the address.",
      failed: "The report could not be loaded", basis: "As recorded in the graph's implementing documents; content not assessed.",
      levels: { central: "Central", ministry: "Ministry", province: "Province", district: "District", commune: "Commune", unit: "Unit" },
    },
  };

  const DAY = 86400000;
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    node.append(...children.filter((c) => c !== null && c !== undefined));
    return node;
  };
  const svg = (tag, attrs = {}, ...children) => {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    node.append(...children);
    return node;
  };
  const days = (from, to) => Math.round((Date.parse(to) - Date.parse(from)) / DAY);
  const stateOf = (row) => row.state || row.status || "none";
  const SOON_DAYS = 30;

  /** A row in the new states. An older answer (`status` implemented | missing | overdue | not_due) is read the
   * way the new audit reads it: the earliest implementing document decides on time or late. */
  function normalized(row, asOf) {
    if (typeof row.state === "string" || !row.deadline) return row;
    const dates = (row.documents || []).map((d) => d.date).filter(Boolean).sort();
    const out = { ...row, state: row.status };
    if (row.status === "implemented" && dates.length) {
      const late = days(row.deadline, dates[0]);
      out.state = late > 0 ? "implemented_late" : "implemented_on_time";
      out.delay_days = late > 0 ? late : null;
    } else if (row.status === "overdue" && asOf) {
      out.delay_days = days(row.deadline, asOf);
    } else if (row.status === "not_due" && asOf) {
      out.days_left = days(asOf, row.deadline);
      out.due_soon = out.days_left <= SOON_DAYS;
    }
    return out;
  }

  /** The rating with the audit's default thresholds, for an answer that has none: green up to 1 % deficit,
   * red over 5 % or with anything overdue a year. */
  function defaultRating(counts, rows, assessed) {
    if (assessed <= 0) return null;
    const deficit = (100 * (counts.overdue + counts.missing)) / assessed;
    const yearLate = rows.some((r) => stateOf(r) === "overdue" && (r.delay_days ?? 0) >= 365);
    return deficit > 5 || yearLate ? "red" : deficit <= 1 ? "green" : "amber";
  }

  /** The report's figures, from the new fields when present and worked out from the rows otherwise. */
  function figures(report) {
    const rows = (report.rows || []).map((row) => normalized(row, report.as_of));
    const summary = report.summary || {};
    const newSummary = STATES.every((state) => typeof summary[state] === "number");
    const counts = {};
    for (const state of STATES) {
      counts[state] = newSummary ? summary[state] : rows.filter((r) => stateOf(r) === state).length;
    }
    const expected = typeof summary.expected === "number" ? summary.expected : rows.length;
    const assessed = expected - counts.not_due;
    const timed = counts.implemented_on_time + counts.implemented_late + counts.overdue;
    const delay = (row) => (typeof row.delay_days === "number" ? row.delay_days : null);
    return {
      rows, counts, expected,
      dueSoon: typeof summary.due_soon === "number" ? summary.due_soon : rows.filter((r) => r.due_soon).length,
      deficit: typeof summary.deficit_percent === "number" ? summary.deficit_percent
        : assessed > 0 ? Math.round(1000 * (counts.overdue + counts.missing) / assessed) / 10 : null,
      onTime: typeof summary.on_time_percent === "number" ? summary.on_time_percent
        : timed > 0 ? Math.round(1000 * counts.implemented_on_time / timed) / 10 : null,
      rating: summary.rating || defaultRating(counts, rows, assessed),
      warnings: summary.warnings || [],
      delay,
      overdue: rows.filter((r) => stateOf(r) === "overdue").sort((a, b) => (delay(b) ?? 0) - (delay(a) ?? 0)),
    };
  }

  class AuditReport extends HTMLElement {
    connectedCallback() {
      const params = new URLSearchParams(location.search);
      this.query = { document: params.get("document"), level: params.get("level"), as_of: params.get("as_of") };
      this.lang = params.get("lang") === "en" ? "en" : "vi";
      this.report = null;
      this.error = null;
      this.render();
      if (this.query.document) this.load();
    }

    async load() {
      const url = new URL("/audit/implementation", location.origin);
      for (const [name, value] of Object.entries(this.query)) if (value) url.searchParams.set(name, value);
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        const body = await response.json().catch(() => ({}));
        if (!response.ok) throw new Error(body.detail || body.message || `HTTP ${response.status}`);
        this.report = body;
      } catch (error) {
        this.error = String(error.message || error);
      }
      this.render();
    }

    setLang(lang) {
      this.lang = lang;
      const params = new URLSearchParams(location.search);
      params.set("lang", lang);
      history.replaceState(null, "", `${location.pathname}?${params}`);
      this.render();
    }

    render() {
      const t = TEXT[this.lang];
      document.documentElement.lang = this.lang;
      document.title = `${t.title} · lexgraph`;
      const doc = this.report && this.report.document;
      const heading = el("h1", {}, doc ? `${t.title}: ${doc.symbol || doc.key}` : t.title);
      const parts = [this.toolbar(t), el("header", {}, heading, this.meta(t))];
      if (!this.query.document) parts.push(el("p", { role: "alert" }, t.noDocument));
      else if (this.error) parts.push(el("p", { role: "alert" }, `${t.failed}: ${this.error}`));
      else if (!this.report) parts.push(el("p", { role: "status" }, t.loading));
      else parts.push(...this.body(t, figures(this.report)));
      this.replaceChildren(...parts);
    }

    toolbar(t) {
      const bar = el("div", { class: "toolbar", role: "group", "aria-label": t.language });
      for (const [lang, label] of [["vi", "Tiếng Việt"], ["en", "English"]]) {
        const button = el("button", { type: "button", lang, "aria-pressed": String(this.lang === lang) }, label);
        button.addEventListener("click", () => this.setLang(lang));
        bar.append(button);
      }
      const print = el("button", { type: "button" }, t.print);
      print.addEventListener("click", () => window.print());
      bar.append(print);
      return bar;
    }

    meta(t) {
      const report = this.report;
      if (!report) return null;
      const title = report.document && report.document.title ? el("p", { class: "meta" }, report.document.title) : null;
      const level = t.levels[report.level] || report.level;
      const parent = report.parent ? ` · ${report.parent}` : "";
      const line = el("p", { class: "meta" }, `${t.asOf} ${this.date(report.as_of)} · ${t.level}: ${level}${parent}`);
      const wrapper = el("div", {});
      wrapper.append(...[title, line].filter(Boolean));
      return wrapper;
    }

    date(iso) {
      if (!iso) return "—";
      const [y, m, d] = iso.split("-");
      return this.lang === "vi" ? `${d}/${m}/${y}` : iso;
    }

    body(t, f) {
      const sections = [this.indicators(t, f)];
      if (f.warnings.length) {
        const list = el("ul", {});
        for (const w of f.warnings) list.append(el("li", {}, typeof w === "string" ? w : w.message || w.kind || JSON.stringify(w)));
        sections.push(el("section", { class: "warnings", "aria-labelledby": "warnings-h" }, el("h2", { id: "warnings-h" }, t.warnings), list));
      }
      if (!f.rows.length) sections.push(el("p", { class: "empty" }, t.noRows));
      const layout = el("div", { class: "layout" });
      if (!this.report.level || this.report.level === "province") layout.append(this.map(t, f));
      layout.append(el("div", {}, this.bars(t, f), this.overdue(t, f)));
      sections.push(layout, this.table(t, f), el("footer", {}, t.basis));
      return sections;
    }

    indicators(t, f) {
      const percent = (value) => (value === null || value === undefined ? "—" : `${value.toLocaleString(this.lang === "vi" ? "vi-VN" : "en")} %`);
      const rating = f.rating ? el("span", { class: "rating", "data-rating": f.rating }, t.ratings[f.rating] || f.rating) : "—";
      const item = (id, label, value) => el("div", { "data-indicator": id }, el("dt", {}, label), el("dd", {}, value));
      return el("section", { "aria-labelledby": "indicators-h" },
        el("h2", { id: "indicators-h" }, t.indicators),
        el("dl", { class: "indicators" },
          item("expected", t.expected, String(f.expected)),
          item("deficit_percent", t.deficit, percent(f.deficit)),
          item("on_time_percent", t.onTime, percent(f.onTime)),
          item("rating", t.rating, rating)));
    }

    map(t, f) {
      const byKey = new Map(f.rows.map((r) => [r.organization.key, r]));
      const placed = new Set(TILES.map(([key]) => key));
      const extra = f.rows.filter((r) => !placed.has(r.organization.key));
      const rowsOfTiles = Math.max(...TILES.map(([, , row]) => row)) + 1;
      const width = COLUMNS * (TILE + GAP);
      const height = rowsOfTiles * (TILE + GAP);
      const drawing = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": t.map });
      for (const [key, col, row, label] of TILES) {
        const found = byKey.get(key);
        const state = found ? stateOf(found) : "none";
        const soon = Boolean(found && found.due_soon);
        const name = found ? found.organization.name : label;
        const x = col * (TILE + GAP);
        const y = row * (TILE + GAP);
        const tile = svg("g", { "data-key": key, "data-state": state },
          svg("title", {}, `${name}: ${t.states[state] || state}${soon ? ` (${t.soon})` : ""}`),
          svg("rect", { x, y, width: TILE, height: TILE, rx: 3, style: `fill: var(--${state})`, "data-state": state }),
          svg("text", { x: x + TILE / 2, y: y + TILE / 2 - 7, style: `fill: var(--${state}-ink)` }, label),
          svg("text", { x: x + TILE / 2, y: y + TILE / 2 + 9, style: `fill: var(--${state}-ink)`, class: soon ? "soon" : "" },
            `${MARKS[state] ?? ""}${soon ? SOON_MARK : ""}`));
        drawing.append(tile);
      }
      const figure = el("figure", { class: "map" }, drawing, el("figcaption", {}, el("h2", { id: "legend-h" }, t.legend), this.legend(t)));
      if (extra.length) {
        const list = el("ul", {});
        for (const r of extra) list.append(el("li", {}, `${r.organization.name}: ${t.states[stateOf(r)] || stateOf(r)}`));
        figure.append(el("p", {}, t.notOnMap), list);
      }
      return el("section", { "aria-label": t.map }, figure);
    }

    legend(t) {
      const list = el("ul", { class: "legend", "aria-labelledby": "legend-h" });
      for (const state of [...STATES, "none"]) {
        list.append(el("li", { "data-state": state },
          el("span", { class: "swatch", style: `background: var(--${state}); color: var(--${state}-ink)`, "aria-hidden": "true" }, MARKS[state]),
          el("span", { class: "label" }, t.states[state])));
      }
      list.append(el("li", { "data-state": "due_soon" }, el("span", { class: "swatch", "aria-hidden": "true" }, SOON_MARK), el("span", { class: "label" }, t.soon)));
      return list;
    }

    bars(t, f) {
      const most = Math.max(1, ...STATES.map((s) => f.counts[s]));
      const list = el("ul", { class: "bars" });
      for (const state of STATES) {
        const count = f.counts[state];
        const fill = el("span", { style: `width: ${(100 * count) / most}%; background: var(--${state})` });
        list.append(el("li", { "data-state": state },
          el("span", {}, t.states[state]),
          el("span", { class: "bar", "aria-hidden": "true" }, fill),
          el("span", { class: "count" }, String(count))));
      }
      const soon = el("p", { "data-count": "due_soon" }, `${t.soon}: ${f.dueSoon}`);
      return el("section", { "aria-labelledby": "bars-h" }, el("h2", { id: "bars-h" }, t.bars), list, soon);
    }

    overdue(t, f) {
      const section = el("section", { "aria-labelledby": "overdue-h" }, el("h2", { id: "overdue-h" }, `${t.overdue} (${f.overdue.length})`));
      if (!f.overdue.length) {
        section.append(el("p", { class: "empty" }, t.noOverdue));
        return section;
      }
      const body = el("tbody", {});
      for (const row of f.overdue) {
        body.append(el("tr", { "data-key": row.organization.key },
          el("th", { scope: "row" }, row.organization.name),
          el("td", {}, this.date(row.deadline)),
          el("td", { class: "num" }, String(f.delay(row) ?? "—"))));
      }
      const head = el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t.unit), el("th", { scope: "col" }, t.deadline), el("th", { scope: "col" }, t.delay)));
      section.append(el("table", { class: "overdue" }, head, body));
      return section;
    }

    table(t, f) {
      const head = el("thead", {}, el("tr", {}, ...[t.unit, t.state, t.deadline, t.delay, t.daysLeft, t.documents].map((h) => el("th", { scope: "col" }, h))));
      const body = el("tbody", {});
      for (const row of f.rows) {
        const state = stateOf(row);
        const docs = (row.documents || []).map((d) => d.symbol || d.key).join(", ");
        body.append(el("tr", { "data-key": row.organization.key, "data-state": state },
          el("th", { scope: "row" }, row.organization.name),
          el("td", {}, `${t.states[state] || state}${row.due_soon ? ` (${t.soon})` : ""}`),
          el("td", {}, this.date(row.deadline)),
          el("td", { class: "num" }, String(f.delay(row) ?? "")),
          el("td", { class: "num" }, typeof row.days_left === "number" ? String(row.days_left) : ""),
          el("td", {}, docs)));
      }
      return el("section", { "aria-labelledby": "all-h" }, el("h2", { id: "all-h" }, t.all), el("table", { class: "rows" }, head, body));
    }
  }

  if (!customElements.get("lexgraph-audit-report")) customElements.define("lexgraph-audit-report", AuditReport);
})();
