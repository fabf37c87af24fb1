// Obligations as (:Obligation) nodes keyed by an id derived from the document and the rule
// (graph/obligations.py); `document` holds the obliging document's key, `deadlines` a JSON list.
CREATE CONSTRAINT obligation_id IF NOT EXISTS FOR (o:Obligation) REQUIRE o.id IS UNIQUE;
CREATE INDEX obligation_document IF NOT EXISTS FOR (o:Obligation) ON (o.document);
CREATE INDEX obligation_level IF NOT EXISTS FOR (o:Obligation) ON (o.level);
