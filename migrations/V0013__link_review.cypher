// Link identity, provenance and review (issue #15). Every link gets a random id, given once, and a review
// state (extracted links proposed, the others accepted). Links written before keep their flat provenance
// fields, which the store reads as their first entry until a write stores the list (JSON in `provenance`);
// `text_ids` lists the texts of the entries, for the review queue's filter.
MATCH (:Document)-[l:IMPLEMENTS|CONTINUES|CITES|BASED_ON|GUIDES|AMENDS|REPLACES|REPEALS]->(:Document) WHERE l.id IS NULL
SET l.id = replace(randomUUID(), '-', ''),
    l.review = CASE l.origin WHEN 'extracted' THEN 'proposed' ELSE 'accepted' END,
    l.text_ids = CASE WHEN l.source_text_id IS NULL THEN [] ELSE [l.source_text_id] END,
    l.partial = false, l.flagged = false;
CREATE INDEX link_id_implements IF NOT EXISTS FOR ()-[l:IMPLEMENTS]-() ON (l.id);
CREATE INDEX link_id_continues IF NOT EXISTS FOR ()-[l:CONTINUES]-() ON (l.id);
CREATE INDEX link_id_cites IF NOT EXISTS FOR ()-[l:CITES]-() ON (l.id);
CREATE INDEX link_id_based_on IF NOT EXISTS FOR ()-[l:BASED_ON]-() ON (l.id);
CREATE INDEX link_id_guides IF NOT EXISTS FOR ()-[l:GUIDES]-() ON (l.id);
CREATE INDEX link_id_amends IF NOT EXISTS FOR ()-[l:AMENDS]-() ON (l.id);
CREATE INDEX link_id_replaces IF NOT EXISTS FOR ()-[l:REPLACES]-() ON (l.id);
CREATE INDEX link_id_repeals IF NOT EXISTS FOR ()-[l:REPEALS]-() ON (l.id);
CREATE INDEX link_review_implements IF NOT EXISTS FOR ()-[l:IMPLEMENTS]-() ON (l.review, l.confidence);
CREATE INDEX link_review_continues IF NOT EXISTS FOR ()-[l:CONTINUES]-() ON (l.review, l.confidence);
CREATE INDEX link_review_cites IF NOT EXISTS FOR ()-[l:CITES]-() ON (l.review, l.confidence);
CREATE INDEX link_review_based_on IF NOT EXISTS FOR ()-[l:BASED_ON]-() ON (l.review, l.confidence);
CREATE INDEX link_review_guides IF NOT EXISTS FOR ()-[l:GUIDES]-() ON (l.review, l.confidence);
CREATE INDEX link_review_amends IF NOT EXISTS FOR ()-[l:AMENDS]-() ON (l.review, l.confidence);
CREATE INDEX link_review_replaces IF NOT EXISTS FOR ()-[l:REPLACES]-() ON (l.review, l.confidence);
CREATE INDEX link_review_repeals IF NOT EXISTS FOR ()-[l:REPEALS]-() ON (l.review, l.confidence);
// Obligations take the words of link review: confirmed is now accepted.
MATCH (o:RecordedObligation {status: 'confirmed'}) SET o.status = 'accepted';
