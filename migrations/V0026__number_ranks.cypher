// Search by a bare number ("25"): the documents of a number and a level, whatever their type, read by
// index (graph.search.NumberRecall without a type).
CREATE INDEX document_number_level IF NOT EXISTS FOR (d:Document) ON (d.number, d.level);
CALL db.awaitIndex('document_number_level', 300);
