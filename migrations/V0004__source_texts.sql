-- Texts submitted for extraction, stored once under the SHA-256 of their NFC form.
CREATE TABLE source_texts (
    id           TEXT PRIMARY KEY,
    text         TEXT NOT NULL,
    jurisdiction TEXT,
    document_key TEXT,
    created_at   TEXT NOT NULL
);
