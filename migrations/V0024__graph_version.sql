-- The graph's version: bumped in the transaction of every write to links, and of every write to the
-- document columns a walk reads, whatever the write path. A worker's in-memory adjacency index is used
-- only while the version it was built at is current.
CREATE TABLE graph_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO graph_version VALUES (1, 0);
CREATE TRIGGER graph_version_links_insert AFTER INSERT ON links BEGIN
    UPDATE graph_version SET n = n + 1; END;
CREATE TRIGGER graph_version_links_update AFTER UPDATE ON links BEGIN
    UPDATE graph_version SET n = n + 1; END;
CREATE TRIGGER graph_version_links_delete AFTER DELETE ON links BEGIN
    UPDATE graph_version SET n = n + 1; END;
CREATE TRIGGER graph_version_documents_insert AFTER INSERT ON documents BEGIN
    UPDATE graph_version SET n = n + 1; END;
CREATE TRIGGER graph_version_documents_update AFTER UPDATE OF key, level, jurisdiction, year, date ON documents BEGIN
    UPDATE graph_version SET n = n + 1; END;
CREATE TRIGGER graph_version_documents_delete AFTER DELETE ON documents BEGIN
    UPDATE graph_version SET n = n + 1; END;
