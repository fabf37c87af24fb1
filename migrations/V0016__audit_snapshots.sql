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
