-- The version of the documents and links: bumped in the transaction of every write to either, whatever the
-- write path (graph_version, V0024, moves only with what a walk reads). A worker keeps what it computed from
-- them (search rankings, lineage pages) and reuses it only while the version it was computed at is current,
-- so several workers on one file never serve what another has made stale.
CREATE TABLE data_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO data_version VALUES (1, 0);
CREATE TRIGGER data_version_documents_insert AFTER INSERT ON documents BEGIN
    UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER data_version_documents_update AFTER UPDATE ON documents BEGIN
    UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER data_version_documents_delete AFTER DELETE ON documents BEGIN
    UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER data_version_links_insert AFTER INSERT ON links BEGIN
    UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER data_version_links_update AFTER UPDATE ON links BEGIN
    UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER data_version_links_delete AFTER DELETE ON links BEGIN
    UPDATE data_version SET n = n + 1; END;
