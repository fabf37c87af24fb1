// One node per event and webhook to send to; a worker leases due ones before sending them.
CREATE CONSTRAINT delivery_id IF NOT EXISTS FOR (d:Delivery) REQUIRE d.id IS UNIQUE;
CREATE INDEX delivery_due IF NOT EXISTS FOR (d:Delivery) ON (d.status, d.next_at);
CREATE INDEX delivery_webhook IF NOT EXISTS FOR (d:Delivery) ON (d.webhook);
