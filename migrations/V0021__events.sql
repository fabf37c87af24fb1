-- The events outbox (written in the transaction of the change), webhook subscriptions and their deliveries.
CREATE TABLE events (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,  -- commit order: writes are serialized
    id           TEXT NOT NULL UNIQUE,
    at           TEXT NOT NULL,
    kind         TEXT NOT NULL,
    document     TEXT NOT NULL,
    jurisdiction TEXT,
    level        TEXT,
    type_folded  TEXT,
    body         TEXT NOT NULL  -- the whole event as JSON, facets included
);
CREATE INDEX events_jurisdiction ON events (jurisdiction, seq);
CREATE INDEX events_level ON events (level, seq);
CREATE INDEX events_type ON events (type_folded, seq);

-- What each event's document implemented directly when the event was recorded.
CREATE TABLE event_implements (
    target TEXT NOT NULL,
    seq    INTEGER NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
    PRIMARY KEY (target, seq)
) WITHOUT ROWID;

CREATE TABLE webhooks (
    id         TEXT PRIMARY KEY,
    url        TEXT NOT NULL,
    secret     TEXT NOT NULL,
    filter     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    key_id     TEXT
);
