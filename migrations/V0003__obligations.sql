-- Obligations: who a document obliges to implement it (graph/obligations.py). The id is derived from
-- the document and the rule, so posting the same obligation twice keeps one row. No ON DELETE action:
-- documents are re-written with INSERT OR REPLACE, which must not cascade here.
CREATE TABLE obligations (
    id         TEXT PRIMARY KEY,
    document   TEXT NOT NULL REFERENCES documents (key),
    level      TEXT NOT NULL,
    parent     TEXT,
    units      TEXT NOT NULL DEFAULT '[]',
    deadlines  TEXT NOT NULL DEFAULT '[]',
    branch     TEXT,
    relation   TEXT NOT NULL,
    status     TEXT NOT NULL,
    evidence   TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX obligations_document ON obligations (document);
CREATE INDEX obligations_level ON obligations (level, status);
