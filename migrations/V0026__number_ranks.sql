-- Search by a bare number ("25"): each document's number, beside its type and number, indexed in the
-- same rank order, so that "25" reads the central documents numbered 25 first, the most cited first,
-- whatever their type (graph.search.NumberRecall without a type).
ALTER TABLE document_ranks ADD COLUMN bare_number TEXT;
UPDATE document_ranks SET bare_number = (SELECT ltrim(d.number, '0') FROM documents d WHERE d.key = document_key);
CREATE INDEX document_ranks_bare_number ON document_ranks (bare_number, central DESC, cited_by DESC);

DROP TRIGGER document_ranks_insert;
DROP TRIGGER document_ranks_update;
CREATE TRIGGER document_ranks_insert AFTER INSERT ON documents BEGIN
    INSERT INTO document_ranks VALUES (new.key, CASE WHEN new.type IS NOT NULL AND new.number IS NOT NULL
    THEN lexgraph_fold(new.type) || ' ' || ltrim(new.number, '0') END, coalesce(new.level = 'central', 0),
    (SELECT count(*) FROM links WHERE target = new.key), ltrim(new.number, '0')) ON CONFLICT (document_key)
    DO UPDATE SET type_number = excluded.type_number, central = excluded.central, cited_by = excluded.cited_by,
    bare_number = excluded.bare_number; END;
CREATE TRIGGER document_ranks_update AFTER UPDATE ON documents BEGIN
    DELETE FROM document_ranks WHERE document_key = old.key AND old.key <> new.key; INSERT
    INTO document_ranks VALUES (new.key, CASE WHEN new.type IS NOT NULL AND new.number IS NOT NULL
    THEN lexgraph_fold(new.type) || ' ' || ltrim(new.number, '0') END, coalesce(new.level = 'central', 0),
    (SELECT count(*) FROM links WHERE target = new.key), ltrim(new.number, '0')) ON CONFLICT (document_key)
    DO UPDATE SET type_number = excluded.type_number, central = excluded.central, cited_by = excluded.cited_by,
    bare_number = excluded.bare_number; END;
