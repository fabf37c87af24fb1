-- One row per API process: /health writes it to learn whether writes still succeed (disk full, read-only file).
CREATE TABLE health_probe (
    worker TEXT PRIMARY KEY,
    at     TEXT NOT NULL
) WITHOUT ROWID;
