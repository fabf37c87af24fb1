-- Link identity, provenance and review (issue #15). Every link gets a random id, given once; its provenance
-- becomes a list of entries (JSON), the first from the flat fields, which stay as that first entry's copy;
-- and a review state: extracted links are proposed, the others accepted.
ALTER TABLE links ADD COLUMN id TEXT;
ALTER TABLE links ADD COLUMN review TEXT NOT NULL DEFAULT 'accepted';
ALTER TABLE links ADD COLUMN provenance TEXT NOT NULL DEFAULT '[]';
ALTER TABLE links ADD COLUMN corrected_to TEXT;
ALTER TABLE links ADD COLUMN partial INTEGER NOT NULL DEFAULT 0;
ALTER TABLE links ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;
UPDATE links SET
    id = lower(hex(randomblob(16))),
    review = CASE origin WHEN 'extracted' THEN 'proposed' ELSE 'accepted' END,
    provenance = json_array(json_object(
        'origin', origin, 'text_id', source_text_id, 'span_start', span_start, 'span_end', span_end,
        'evidence', evidence, 'confidence', confidence, 'created_at', created_at
    ));
CREATE UNIQUE INDEX links_id ON links (id);
-- The review queue: proposed (or rejected) links, lowest confidence first, then id. Partial: accepted links,
-- the bulk of a graph and of every import, are not queued, and a first load does not build it for them.
CREATE INDEX links_queue ON links (review, confidence, id) WHERE review <> 'accepted';
-- Walks read the review state with the ends, from the index alone.
DELETE FROM import_deferred WHERE name = 'links_target';
DROP INDEX IF EXISTS links_target;
CREATE INDEX links_target ON links (target, relation, source, review);
-- A review decision's link before and after it, as JSON.
ALTER TABLE changes ADD COLUMN before_state TEXT;
ALTER TABLE changes ADD COLUMN after_state TEXT;
-- Obligations take the words of link review: confirmed is now accepted.
UPDATE obligations SET status = 'accepted' WHERE status = 'confirmed';
