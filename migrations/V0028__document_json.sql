-- Each document as the API sends it, written once when the document is written rather than by every read:
-- the JSON before its status (open on the status' quotes) and after it, in graph.models.Document's field
-- order, and what its status on a given day needs when no effect decides it (graph.stores.sqlite.rows,
-- DOCUMENT_JSON_OF_J). A page of documents then reads texts instead of building 100 objects, and a lineage
-- page reads its documents from this table alone.
-- A side table, kept by triggers, like document_ranks: documents are rewritten whole (INSERT OR REPLACE),
-- and its other triggers fire on any update of a row. A new Document field means a migration that
-- replaces this view and refills the table from it.
CREATE VIEW document_json_source AS
SELECT key,
       symbol,
       substr(head, 1, length(head) - 1) || ',"status":"' AS head,
       '",' || substr(tail, 2) AS tail,
       curated_status,
       in_force_from,
       effective_to
FROM (
    SELECT key,
           symbol,
           json_object('key', key, 'symbol', symbol, 'aliases', json(coalesce(aliases, '[]')), 'type', type,
                       'number', number, 'date', date, 'year', year, 'issuer', issuer, 'level', level,
                       'jurisdiction', jurisdiction, 'term', term, 'title', title) AS head,
           json_object('status_source', CASE WHEN status_source = 'curated' THEN 'curated' ELSE 'derived' END,
                       'status_links', json_array(), 'effective_from', effective_from,
                       'effective_to', effective_to, 'stub', json(CASE WHEN stub THEN 'true' ELSE 'false' END))
               AS tail,
           CASE WHEN status_source = 'curated' THEN coalesce(status, 'unknown') END AS curated_status,
           coalesce(effective_from, date) AS in_force_from,
           effective_to
    FROM documents
);
CREATE TABLE document_json (
    key            TEXT PRIMARY KEY,
    symbol         TEXT NOT NULL,  -- for the ends of a page's links
    head           TEXT NOT NULL,
    tail           TEXT NOT NULL,
    curated_status TEXT,  -- NULL unless the status is curated
    in_force_from  TEXT,
    effective_to   TEXT
) WITHOUT ROWID;
INSERT INTO document_json SELECT * FROM document_json_source ORDER BY key;
CREATE TRIGGER document_json_insert AFTER INSERT ON documents BEGIN
    INSERT OR REPLACE INTO document_json SELECT * FROM document_json_source WHERE key = new.key; END;
CREATE TRIGGER document_json_update AFTER UPDATE ON documents BEGIN
    DELETE FROM document_json WHERE key = old.key AND old.key <> new.key; INSERT OR REPLACE
    INTO document_json SELECT * FROM document_json_source WHERE key = new.key; END;
CREATE TRIGGER document_json_delete AFTER DELETE ON documents BEGIN
    DELETE FROM document_json WHERE key = old.key; END;
