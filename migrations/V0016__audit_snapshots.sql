-- Dated copies of audit reports (lexgraph audit snapshot): the summary and the whole report as JSON text.
CREATE TABLE audit_snapshots (
    id       TEXT PRIMARY KEY,
    document TEXT NOT NULL,
    level    TEXT NOT NULL,
    parent   TEXT,
    as_of    TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    summary  TEXT NOT NULL,
    report   TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX audit_snapshots_document ON audit_snapshots (document, as_of, taken_at);
-- The audit's walk keeps only the links whose source is at the audited level or above: the level beside the key
-- lets it check that from the index, without reading each document.
CREATE INDEX documents_key_level ON documents (key, level);
