// Texts submitted for extraction, stored once under the SHA-256 of their NFC form.
CREATE CONSTRAINT source_text_id IF NOT EXISTS FOR (t:SourceText) REQUIRE t.id IS UNIQUE;
