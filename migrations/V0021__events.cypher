// The events outbox (written in the transaction of the change) and webhook subscriptions.
CREATE CONSTRAINT event_id IF NOT EXISTS FOR (e:Event) REQUIRE e.id IS UNIQUE;
CREATE CONSTRAINT event_seq IF NOT EXISTS FOR (e:Event) REQUIRE e.seq IS UNIQUE;
CREATE INDEX event_jurisdiction IF NOT EXISTS FOR (e:Event) ON (e.jurisdiction);
CREATE INDEX event_level IF NOT EXISTS FOR (e:Event) ON (e.level);
CREATE INDEX event_type IF NOT EXISTS FOR (e:Event) ON (e.type_folded);
CREATE CONSTRAINT webhook_id IF NOT EXISTS FOR (w:Webhook) REQUIRE w.id IS UNIQUE;
// One counter gives events their commit order; one lock node serializes delivery claims.
CREATE CONSTRAINT event_counter IF NOT EXISTS FOR (c:EventCounter) REQUIRE c.name IS UNIQUE;
CREATE CONSTRAINT dispatch_lock IF NOT EXISTS FOR (l:DispatchLock) REQUIRE l.name IS UNIQUE;
