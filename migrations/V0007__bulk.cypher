// Bulk import checkpoints: how far each input file has been imported, committed with the batch it ends.
CREATE CONSTRAINT import_checkpoint_source IF NOT EXISTS FOR (c:ImportCheckpoint) REQUIRE c.source IS UNIQUE;
