// Lists of documents by filter (GET /documents with jurisdiction, level, type, year, or none of them) read a
// page from an index in page order instead of sorting every matching document: each document carries its
// place among all documents and among those of its jurisdiction, level and type
// (graph.stores.neo4j.cypher.LIST_ORDERS, the expressions written below), and writes keep them.
CREATE INDEX document_page_order IF NOT EXISTS FOR (d:Document) ON (d.page_order);
CREATE INDEX document_jurisdiction_order IF NOT EXISTS FOR (d:Document) ON (d.jurisdiction_order);
CREATE INDEX document_level_order IF NOT EXISTS FOR (d:Document) ON (d.level_order);
CREATE INDEX document_type_order IF NOT EXISTS FOR (d:Document) ON (d.type_order);
CALL db.awaitIndexes(600);
// In batches: one transaction over a national store's documents outgrows the server's transaction memory.
MATCH (d:Document)
CALL (d) {
  SET d.page_order = right('000' + toString(9999 - coalesce(d.year, 0)), 4) + '\u0001' + d.key,
      d.jurisdiction_order = d.jurisdiction + '\u0001' + right('000' + toString(9999 - coalesce(d.year, 0)), 4) + '\u0001' + d.key,
      d.level_order = d.level + '\u0001' + right('000' + toString(9999 - coalesce(d.year, 0)), 4) + '\u0001' + d.key,
      d.type_order = d.type_folded + '\u0001' + right('000' + toString(9999 - coalesce(d.year, 0)), 4) + '\u0001' + d.key
} IN TRANSACTIONS OF 10000 ROWS;
