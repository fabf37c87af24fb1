-- Effect status (graph.effects): links.partial (V0013) and documents.status_source (V0015) are read with each
-- document's effects: the day-independent facts its status is computed from on read ([[kind, day, link,
-- source], …]). Effects live in a table of their own so that recomputing them never rewrites a document row
-- (nor fires the search triggers on documents); a document without a row has none.
CREATE TABLE document_effects (
    document TEXT PRIMARY KEY,
    effects  TEXT NOT NULL
) WITHOUT ROWID;
-- The links that change their target, with everything the recompute reads: scanned by target without a seek
-- into the table per link (what the table's key order and links_target cannot give).
CREATE INDEX links_effects ON links (target, relation, source, partial) WHERE relation IN ('amends', 'repeals', 'replaces');
