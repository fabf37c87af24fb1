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

INSERT INTO document_ranks
SELECT d.key, CASE WHEN d.type IS NOT NULL AND d.number IS NOT NULL
    THEN lexgraph_fold(d.type) || ' ' || ltrim(d.number, '0') END, coalesce(d.level = 'central', 0), coalesce(c.n, 0)
FROM documents d LEFT JOIN (SELECT target, count(*) AS n FROM links GROUP BY target) c ON c.target = d.key;
