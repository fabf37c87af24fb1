-- Full-text search of stored source texts (graph.text_search): an FTS5 index over each text folded
-- (lexgraph_fold: accents and đ), contentless, since snippets are cut from source_texts itself.
-- Its rowids come from a table of its own: a rowid of source_texts (no INTEGER PRIMARY KEY) may change.
CREATE TABLE source_text_index (
    id      INTEGER PRIMARY KEY,
    text_id TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE source_text_search USING fts5(
    text, content = '', tokenize = 'unicode61 remove_diacritics 0'
);

-- Trigger bodies keep their inner ';' off line ends: the migration runner splits statements there.
CREATE TRIGGER source_text_search_insert AFTER INSERT ON source_texts BEGIN
    INSERT INTO source_text_index (text_id) VALUES (new.id); INSERT
    INTO source_text_search (rowid, text) SELECT id, lexgraph_fold(new.text) FROM source_text_index
    WHERE text_id = new.id; END;
CREATE TRIGGER source_text_search_delete AFTER DELETE ON source_texts BEGIN
    INSERT INTO source_text_search (source_text_search, rowid, text) SELECT 'delete', id, lexgraph_fold(old.text)
    FROM source_text_index WHERE text_id = old.id; DELETE FROM source_text_index WHERE text_id = old.id; END;

INSERT INTO source_text_index (text_id) SELECT id FROM source_texts;
INSERT INTO source_text_search (rowid, text)
SELECT i.id, lexgraph_fold(t.text) FROM source_text_index i JOIN source_texts t ON t.id = i.text_id;
