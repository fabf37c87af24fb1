-- Accent-insensitive search: an FTS5 index over each document's folded search text.
-- The words are those graph.search.search_text gives (the Neo4j store indexes that text itself);
-- lexgraph_fold is registered on every connection of the store.
CREATE VIEW document_search_source AS
SELECT key, lexgraph_fold(
    symbol || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(aliases)), '') || ' ' ||
    coalesce(ltrim(number, '0'), '') || ' ' || coalesce(type, '') || ' ' || coalesce(title, '') || ' ' ||
    coalesce(CAST(year AS TEXT), '') || ' ' || coalesce('khoa ' || term, '')
) AS text
FROM documents;

-- One row per document key with a stable id for the index: documents are written with
-- INSERT OR REPLACE, which gives the row a new rowid and fires no delete trigger.
CREATE TABLE document_search_text (
    id   INTEGER PRIMARY KEY,
    key  TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL
);

CREATE VIRTUAL TABLE document_search USING fts5(
    text, content = 'document_search_text', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3'
);
-- The indexed words, for expanding a query word to those within one typo.
CREATE VIRTUAL TABLE document_search_terms USING fts5vocab(document_search, 'row');

-- Trigger bodies keep their inner ';' off line ends: the migration runner splits statements there.
CREATE TRIGGER document_search_text_insert AFTER INSERT ON document_search_text BEGIN
    INSERT INTO document_search (rowid, text) VALUES (new.id, new.text); END;
CREATE TRIGGER document_search_text_delete AFTER DELETE ON document_search_text BEGIN
    INSERT INTO document_search (document_search, rowid, text) VALUES ('delete', old.id, old.text); END;
CREATE TRIGGER document_search_text_update AFTER UPDATE ON document_search_text BEGIN
    INSERT INTO document_search (document_search, rowid, text) VALUES ('delete', old.id, old.text); INSERT
    INTO document_search (rowid, text) VALUES (new.id, new.text); END;

CREATE TRIGGER documents_search_insert AFTER INSERT ON documents BEGIN
    INSERT INTO document_search_text (key, text) SELECT key, text FROM document_search_source WHERE key = new.key
    ON CONFLICT (key) DO UPDATE SET text = excluded.text WHERE text <> excluded.text; END;
CREATE TRIGGER documents_search_update AFTER UPDATE ON documents BEGIN
    DELETE FROM document_search_text WHERE key = old.key AND old.key <> new.key; INSERT
    INTO document_search_text (key, text) SELECT key, text FROM document_search_source WHERE key = new.key
    ON CONFLICT (key) DO UPDATE SET text = excluded.text WHERE text <> excluded.text; END;
CREATE TRIGGER documents_search_delete AFTER DELETE ON documents BEGIN
    DELETE FROM document_search_text WHERE key = old.key; END;

INSERT INTO document_search_text (key, text) SELECT key, text FROM document_search_source;
