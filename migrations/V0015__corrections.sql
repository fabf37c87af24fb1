-- Corrections (PATCH, DELETE and merge of documents): where a key that changed now lives (the change log's
-- before and after are V0013's columns).
CREATE TABLE key_redirects (
    old_key TEXT PRIMARY KEY,
    new_key TEXT NOT NULL,
    at      TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX key_redirects_new ON key_redirects (new_key);

CREATE INDEX links_source_text ON links (source_text_id);

-- Where a document's status came from (graph.models.StatusSource): a PATCH makes it 'curated'.
ALTER TABLE documents ADD COLUMN status_source TEXT NOT NULL DEFAULT 'derived';
