// Accent-insensitive search: a full-text index over the folded words graph.search.search_text
// gives, written as d.search_text with every document. The analyzer is standard-no-stop-words,
// not standard-folding: folding is done in Python (đ→d included), and standard-folding drops
// English stop words, which folded Vietnamese is full of ("tổ" → "to", "thể" → "the").
CREATE FULLTEXT INDEX document_search IF NOT EXISTS FOR (d:Document) ON EACH [d.search_text]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-no-stop-words', `fulltext.eventually_consistent`: false}};
CALL db.awaitIndex('document_search', 300);
