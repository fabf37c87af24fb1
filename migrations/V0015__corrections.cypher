// Corrections (PATCH, DELETE and merge of documents): where a key that changed now lives.
CREATE CONSTRAINT key_redirect_old IF NOT EXISTS FOR (r:KeyRedirect) REQUIRE r.old_key IS UNIQUE;
CREATE INDEX key_redirect_new IF NOT EXISTS FOR (r:KeyRedirect) ON (r.new_key);
CREATE INDEX source_text_document IF NOT EXISTS FOR (t:SourceText) ON (t.document_key);
// The links a text states (GET /texts/{id}), one index per relationship type.
CREATE INDEX implements_source_text IF NOT EXISTS FOR ()-[l:IMPLEMENTS]-() ON (l.source_text_id);
CREATE INDEX continues_source_text IF NOT EXISTS FOR ()-[l:CONTINUES]-() ON (l.source_text_id);
CREATE INDEX cites_source_text IF NOT EXISTS FOR ()-[l:CITES]-() ON (l.source_text_id);
CREATE INDEX based_on_source_text IF NOT EXISTS FOR ()-[l:BASED_ON]-() ON (l.source_text_id);
CREATE INDEX guides_source_text IF NOT EXISTS FOR ()-[l:GUIDES]-() ON (l.source_text_id);
CREATE INDEX amends_source_text IF NOT EXISTS FOR ()-[l:AMENDS]-() ON (l.source_text_id);
CREATE INDEX replaces_source_text IF NOT EXISTS FOR ()-[l:REPLACES]-() ON (l.source_text_id);
CREATE INDEX repeals_source_text IF NOT EXISTS FOR ()-[l:REPEALS]-() ON (l.source_text_id);
