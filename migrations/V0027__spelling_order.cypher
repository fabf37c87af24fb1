// Documents by symbol (graph.stores.neo4j.documents.FIND_DOCUMENTS_BY_SYMBOL) read a page of the thousands
// of documents one symbol may name ("7/KH-UBND") from an index in page order, instead of sorting them all:
// each spelling carries its order (graph.stores.neo4j.cypher.SPELLING_ORDER, the expression written below),
// and writes keep it.
CREATE INDEX spelling_order IF NOT EXISTS FOR ()-[s:SPELLS]-() ON (s.order);
CALL db.awaitIndex('spelling_order', 300);
// In batches: one transaction over a national store's spellings outgrows the server's transaction memory.
MATCH (k:SymbolKey)-[s:SPELLS]->(d:Document)
CALL (k, s, d) {
  WITH k.key AS mk, s, d
  SET s.order = mk + '\u0001' + right('000' + toString(9999 - coalesce(d.year, 0)), 4) + '\u0001' + d.key
} IN TRANSACTIONS OF 10000 ROWS;
