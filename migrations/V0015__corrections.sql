-- Corrections (PATCH, DELETE and merge of documents): where a key that changed now lives, and the change
-- log's record of a document before and after a write.
CREATE TABLE key_redirects (
    old_key TEXT PRIMARY KEY,
    new_key TEXT NOT NULL,
    at      TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX key_redirects_new ON key_redirects (new_key);

-- JSON lists of documents (graph.keys.Change.before / after).
ALTER TABLE changes ADD COLUMN before_docs TEXT NOT NULL DEFAULT '[]';
ALTER TABLE changes ADD COLUMN after_docs TEXT NOT NULL DEFAULT '[]';

CREATE INDEX links_source_text ON links (source_text_id);

-- Where a document's status came from (graph.models.StatusSource): a PATCH makes it 'curated'.
ALTER TABLE documents ADD COLUMN status_source TEXT NOT NULL DEFAULT 'derived';
