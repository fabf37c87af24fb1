-- The links of a bulk first load are staged with what a link line may carry beyond its flat fields (an
-- export's id, review state, provenance, correction, partial and flagged). A NULL id or provenance is made
-- when the links move in (a new id, the entry of the flat fields); rows staged before keep the defaults.
ALTER TABLE import_links_staged ADD COLUMN id TEXT;
ALTER TABLE import_links_staged ADD COLUMN review TEXT NOT NULL DEFAULT 'accepted';
ALTER TABLE import_links_staged ADD COLUMN provenance TEXT;
ALTER TABLE import_links_staged ADD COLUMN corrected_to TEXT;
ALTER TABLE import_links_staged ADD COLUMN partial INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_links_staged ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;
-- The ids a first load was given so far, so that each batch's given ids are checked against them: an id
-- names one link. Partial: a load of lines without ids does not fill it.
CREATE INDEX import_links_staged_id ON import_links_staged (id) WHERE id IS NOT NULL;
