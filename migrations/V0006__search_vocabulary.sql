-- Every word the search index holds, for expanding a query word to the words within one typo.
-- A plain table, so that probing a few hundred candidate spellings is a few hundred index seeks:
-- the fts5vocab table reads each word's whole document list on every lookup.
-- Words stay when their last document goes: such a word matches nothing in the index.
-- lexgraph_words (the words of a search text as a JSON array) is registered on every connection.
CREATE TABLE document_search_vocabulary (term TEXT PRIMARY KEY) WITHOUT ROWID;

-- Trigger bodies keep their inner ';' off line ends: the migration runner splits statements there.
CREATE TRIGGER document_search_vocabulary_insert AFTER INSERT ON document_search_text BEGIN
    INSERT OR IGNORE INTO document_search_vocabulary (term) SELECT value FROM json_each(lexgraph_words(new.text)); END;
CREATE TRIGGER document_search_vocabulary_update AFTER UPDATE OF text ON document_search_text BEGIN
    INSERT OR IGNORE INTO document_search_vocabulary (term) SELECT value FROM json_each(lexgraph_words(new.text)); END;

INSERT OR IGNORE INTO document_search_vocabulary (term) SELECT term FROM document_search_terms;
