-- Core graph schema for the embedded SQLite store.
CREATE TABLE organizations (
    key          TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    short_name   TEXT,
    kind         TEXT NOT NULL,
    level        TEXT NOT NULL,
    branch       TEXT,
    parent       TEXT,
    jurisdiction TEXT,
    valid_from   TEXT,
    valid_to     TEXT,
    predecessors TEXT NOT NULL DEFAULT '[]',
    aliases      TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX organizations_level ON organizations (level);
CREATE INDEX organizations_parent ON organizations (parent);
CREATE INDEX organizations_jurisdiction ON organizations (jurisdiction);

CREATE TABLE documents (
    key            TEXT PRIMARY KEY,
    symbol         TEXT NOT NULL,
    aliases        TEXT NOT NULL DEFAULT '[]',
    type           TEXT,
    number         TEXT,
    date           TEXT,
    year           INTEGER,
    issuer         TEXT,
    level          TEXT,
    jurisdiction   TEXT,
    term           TEXT,
    title          TEXT,
    status         TEXT NOT NULL DEFAULT 'unknown',
    effective_from TEXT,
    effective_to   TEXT,
    stub           INTEGER NOT NULL DEFAULT 0,
    scope          TEXT NOT NULL DEFAULT ''  -- the jurisdiction for local series, '' for national ones
);
CREATE INDEX documents_jurisdiction ON documents (jurisdiction);
CREATE INDEX documents_level ON documents (level);
CREATE INDEX documents_issuer ON documents (issuer);

-- Every spelling of a document's symbol, by the key spellings share (graph.symbols.symbol_match_key).
CREATE TABLE document_symbols (
    match_key    TEXT NOT NULL,
    document_key TEXT NOT NULL REFERENCES documents (key) ON DELETE CASCADE,
    PRIMARY KEY (match_key, document_key)
) WITHOUT ROWID;
CREATE INDEX document_symbols_document ON document_symbols (document_key);

CREATE TABLE links (
    source         TEXT NOT NULL REFERENCES documents (key),
    relation       TEXT NOT NULL,
    target         TEXT NOT NULL REFERENCES documents (key),
    origin         TEXT NOT NULL,
    evidence       TEXT,
    source_text_id TEXT,
    span_start     INTEGER,
    span_end       INTEGER,
    confidence     REAL NOT NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (source, relation, target)
) WITHOUT ROWID;
CREATE INDEX links_target ON links (target, relation, source);
