// One node per API process: /health writes it to learn whether writes still succeed.
CREATE CONSTRAINT health_probe_worker IF NOT EXISTS FOR (p:HealthProbe) REQUIRE p.worker IS UNIQUE;
