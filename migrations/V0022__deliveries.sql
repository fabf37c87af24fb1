-- One row per event and webhook to send to; a worker leases due rows before sending them.
CREATE TABLE deliveries (
    id              TEXT PRIMARY KEY,
    webhook         TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id        TEXT NOT NULL,
    event_seq       INTEGER NOT NULL,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    next_at         TEXT NOT NULL,
    lease_until     TEXT,
    leased_by       TEXT,
    last_attempt_at TEXT,
    last_status     INTEGER,
    last_error      TEXT,
    delivered_at    TEXT
);
CREATE INDEX deliveries_due ON deliveries (status, next_at);
CREATE INDEX deliveries_webhook ON deliveries (webhook, created_at);
