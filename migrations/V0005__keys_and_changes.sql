-- API keys (SHA-256 digests only) and the log of writes made with them.
CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY,
    name       TEXT,
    scope      TEXT NOT NULL,
    digest     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE changes (
    id      TEXT PRIMARY KEY,
    at      TEXT NOT NULL,
    key_id  TEXT NOT NULL,
    method  TEXT NOT NULL,
    path    TEXT NOT NULL,
    status  TEXT NOT NULL,
    keys    TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX changes_at ON changes (at);
