-- Bulk import checkpoints: how far each input file has been imported, committed with the batch it ends.
CREATE TABLE IF NOT EXISTS import_checkpoints (
    source      TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    line        INTEGER NOT NULL
);
