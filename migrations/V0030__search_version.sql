-- The version of everything a search ranks by: bumped in the transaction of every write to documents or
-- links, whatever the write path (documents hold the symbols, titles and facts ranking reads; links the
-- citation counts). A worker keeps the rankings it computed and reuses one only while the version it was
-- computed at is current, so several workers on one file never serve a ranking another has made stale.
CREATE TABLE search_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO search_version VALUES (1, 0);
CREATE TRIGGER search_version_documents_insert AFTER INSERT ON documents BEGIN
    UPDATE search_version SET n = n + 1; END;
CREATE TRIGGER search_version_documents_update AFTER UPDATE ON documents BEGIN
    UPDATE search_version SET n = n + 1; END;
CREATE TRIGGER search_version_documents_delete AFTER DELETE ON documents BEGIN
    UPDATE search_version SET n = n + 1; END;
CREATE TRIGGER search_version_links_insert AFTER INSERT ON links BEGIN
    UPDATE search_version SET n = n + 1; END;
CREATE TRIGGER search_version_links_update AFTER UPDATE ON links BEGIN
    UPDATE search_version SET n = n + 1; END;
CREATE TRIGGER search_version_links_delete AFTER DELETE ON links BEGIN
    UPDATE search_version SET n = n + 1; END;
