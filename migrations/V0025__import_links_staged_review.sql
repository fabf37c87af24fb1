-- The links of a bulk first load are staged with what a link line may carry beyond its flat fields (an
-- export's id, review state, provenance, correction, partial and flagged). NULL is what the line left out,
-- made when the links move in (a new id, accepted, the entry of the flat fields, false), as for rows
-- staged before.
ALTER TABLE import_links_staged ADD COLUMN id TEXT;
ALTER TABLE import_links_staged ADD COLUMN review TEXT;
ALTER TABLE import_links_staged ADD COLUMN provenance TEXT;
ALTER TABLE import_links_staged ADD COLUMN corrected_to TEXT;
ALTER TABLE import_links_staged ADD COLUMN partial INTEGER;
ALTER TABLE import_links_staged ADD COLUMN flagged INTEGER;
