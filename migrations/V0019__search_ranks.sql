-- Search ranking by number: each document's folded type and number ("ket luan 1"), whether it is
-- central, and how many links point at it, indexed so that "KL 1" reads the central documents of
-- that number first, the most cited first, without reading the others (graph.search.NumberRecall).
-- A side table rather than columns of documents: documents are rewritten whole (INSERT OR REPLACE).
CREATE TABLE document_ranks (
    document_key TEXT PRIMARY KEY,
    type_number  TEXT,
    central      INTEGER NOT NULL,
    cited_by     INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX document_ranks_number ON document_ranks (type_number, central DESC, cited_by DESC);

-- The counter is recounted (an index range of links_target) rather than incremented: an INSERT OR
-- REPLACE of a link deletes the old row without firing a delete trigger, so +1/-1 would drift.
-- Trigger bodies keep their inner ';' off line ends: the migration runner splits statements there.
CREATE TRIGGER document_ranks_link_insert AFTER INSERT ON links BEGIN
    UPDATE document_ranks SET cited_by = (SELECT count(*) FROM links WHERE target = new.target)
    WHERE document_key = new.target; END;
CREATE TRIGGER document_ranks_link_delete AFTER DELETE ON links BEGIN
    UPDATE document_ranks SET cited_by = (SELECT count(*) FROM links WHERE target = old.target)
    WHERE document_key = old.target; END;
CREATE TRIGGER document_ranks_link_update AFTER UPDATE OF target ON links BEGIN
    UPDATE document_ranks SET cited_by = (SELECT count(*) FROM links WHERE target = old.target)
    WHERE document_key = old.target; UPDATE document_ranks SET cited_by = (SELECT count(*) FROM links
    WHERE target = new.target) WHERE document_key = new.target; END;

CREATE TRIGGER document_ranks_insert AFTER INSERT ON documents BEGIN
    INSERT INTO document_ranks VALUES (new.key, CASE WHEN new.type IS NOT NULL AND new.number IS NOT NULL
    THEN lexgraph_fold(new.type) || ' ' || ltrim(new.number, '0') END, coalesce(new.level = 'central', 0),
    (SELECT count(*) FROM links WHERE target = new.key)) ON CONFLICT (document_key) DO UPDATE SET
    type_number = excluded.type_number, central = excluded.central, cited_by = excluded.cited_by; END;
CREATE TRIGGER document_ranks_update AFTER UPDATE ON documents BEGIN
    DELETE FROM document_ranks WHERE document_key = old.key AND old.key <> new.key; INSERT
    INTO document_ranks VALUES (new.key, CASE WHEN new.type IS NOT NULL AND new.number IS NOT NULL
    THEN lexgraph_fold(new.type) || ' ' || ltrim(new.number, '0') END, coalesce(new.level = 'central', 0),
    (SELECT count(*) FROM links WHERE target = new.key)) ON CONFLICT (document_key) DO UPDATE SET
    type_number = excluded.type_number, central = excluded.central, cited_by = excluded.cited_by; END;
CREATE TRIGGER document_ranks_delete AFTER DELETE ON documents BEGIN
    DELETE FROM document_ranks WHERE document_key = old.key; END;

-- The documents of a symbol match key in the order /documents?symbol= pages them (newest first, then
-- key), so that a page reads its rows and stops however many documents share the symbol ("1-KH/HU":
-- every district's). Kept from document_symbols, which every writer of spellings goes through.
CREATE TABLE document_symbol_order (
    match_key    TEXT NOT NULL,
    sort_year    INTEGER NOT NULL,
    document_key TEXT NOT NULL,
    PRIMARY KEY (match_key, sort_year DESC, document_key)
) WITHOUT ROWID;
CREATE INDEX document_symbol_order_document ON document_symbol_order (document_key);

CREATE TRIGGER document_symbol_order_insert AFTER INSERT ON document_symbols BEGIN
    INSERT INTO document_symbol_order SELECT new.match_key, coalesce(year, 0), key FROM documents
    WHERE key = new.document_key ON CONFLICT DO NOTHING; END;
CREATE TRIGGER document_symbol_order_delete AFTER DELETE ON document_symbols BEGIN
    DELETE FROM document_symbol_order WHERE document_key = old.document_key AND match_key = old.match_key; END;
CREATE TRIGGER document_symbol_order_year AFTER UPDATE OF year ON documents BEGIN
    UPDATE document_symbol_order SET sort_year = coalesce(new.year, 0) WHERE document_key = new.key; END;

INSERT INTO document_symbol_order
SELECT s.match_key, coalesce(d.year, 0), s.document_key FROM document_symbols s JOIN documents d ON d.key = s.document_key;

INSERT INTO document_ranks
SELECT d.key, CASE WHEN d.type IS NOT NULL AND d.number IS NOT NULL
    THEN lexgraph_fold(d.type) || ' ' || ltrim(d.number, '0') END, coalesce(d.level = 'central', 0), coalesce(c.n, 0)
FROM documents d LEFT JOIN (SELECT target, count(*) AS n FROM links GROUP BY target) c ON c.target = d.key;
