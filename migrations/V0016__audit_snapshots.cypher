// Dated copies of audit reports (lexgraph audit snapshot): the summary and the whole report as JSON text.
CREATE CONSTRAINT audit_snapshot_id IF NOT EXISTS FOR (s:AuditSnapshot) REQUIRE s.id IS UNIQUE;
CREATE INDEX audit_snapshot_document IF NOT EXISTS FOR (s:AuditSnapshot) ON (s.document);
