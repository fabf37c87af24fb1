// Core graph schema for Neo4j. A document's spellings hang off it as (:SymbolKey)-[:SPELLS]->(:Document),
// since range indexes do not index list properties.
CREATE CONSTRAINT document_key IF NOT EXISTS FOR (d:Document) REQUIRE d.key IS UNIQUE;
CREATE CONSTRAINT organization_key IF NOT EXISTS FOR (o:Organization) REQUIRE o.key IS UNIQUE;
CREATE CONSTRAINT symbol_key IF NOT EXISTS FOR (s:SymbolKey) REQUIRE s.key IS UNIQUE;
CREATE CONSTRAINT migration_version IF NOT EXISTS FOR (m:Migration) REQUIRE m.version IS UNIQUE;
CREATE INDEX document_jurisdiction IF NOT EXISTS FOR (d:Document) ON (d.jurisdiction);
CREATE INDEX document_level IF NOT EXISTS FOR (d:Document) ON (d.level);
CREATE INDEX organization_level IF NOT EXISTS FOR (o:Organization) ON (o.level);
CREATE INDEX organization_parent IF NOT EXISTS FOR (o:Organization) ON (o.parent);
