// Full-text search of stored source texts (graph.text_search). standard-folding folds accents and đ
// as lexgraph does, but drops English stop words ("to", "the"): graph.text_search checks every query
// word against the folded text before a hit is kept, so those words still narrow.
CREATE FULLTEXT INDEX source_text_search IF NOT EXISTS FOR (t:SourceText) ON EACH [t.text]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding', `fulltext.eventually_consistent`: false}};
CALL db.awaitIndex('source_text_search', 300);
