-- Every word the search index holds, for expanding a query word to the words within one typo.
-- A plain table, so that probing a few hundred candidate spellings is a few hundred index seeks:
-- the fts5vocab table reads each word's whole document list on every lookup.
-- Words stay when their last document goes: such a word matches nothing in the index.
-- lexgraph_words (the words of a search text as a JSON array) is registered on every connection.
CREATE TABLE document_search_vocabulary (term TEXT PRIMARY KEY) WITHOUT ROWID;

-- Only new words are inserted: an OR IGNORE inside a trigger gives way to the conflict policy of
-- the statement that fired it (the upsert of document_search_text), which aborts.
-- Trigger bodies keep their inner ';' off line ends: the migration runner splits statements there.
CREATE TRIGGER document_search_vocabulary_insert AFTER INSERT ON document_search_text BEGIN
    INSERT INTO document_search_vocabulary (term) SELECT DISTINCT w.value FROM json_each(lexgraph_words(new.text)) w
    WHERE NOT EXISTS (SELECT 1 FROM document_search_vocabulary v WHERE v.term = w.value); END;
CREATE TRIGGER document_search_vocabulary_update AFTER UPDATE OF text ON document_search_text BEGIN
    INSERT INTO document_search_vocabulary (term) SELECT DISTINCT w.value FROM json_each(lexgraph_words(new.text)) w
    WHERE NOT EXISTS (SELECT 1 FROM document_search_vocabulary v WHERE v.term = w.value); END;

INSERT INTO document_search_vocabulary (term) SELECT term FROM document_search_terms;
