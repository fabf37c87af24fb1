// Search ranking by number: the documents of a folded type, a number and a level ("KL 1", central),
// read by index (graph.search.NumberRecall). How many links point at each is the node's own degree,
// which Neo4j keeps with every relationship write, so no counter property is kept.
CREATE INDEX document_type_number IF NOT EXISTS FOR (d:Document) ON (d.type_folded, d.number, d.level);
CALL db.awaitIndex('document_type_number', 300);
