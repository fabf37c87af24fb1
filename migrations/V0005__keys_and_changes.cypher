// API keys (SHA-256 digests only) and the log of writes made with them.
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.id IS UNIQUE;
CREATE CONSTRAINT change_id IF NOT EXISTS FOR (c:Change) REQUIRE c.id IS UNIQUE;
CREATE INDEX change_at IF NOT EXISTS FOR (c:Change) ON (c.at);
