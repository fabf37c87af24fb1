-- Effect status (graph.effects): a repeal or amendment of part of its target; a status set by hand; and each
-- document's effects, the day-independent facts its status is computed from on read ([[kind, day, link, source], …]).
ALTER TABLE links ADD COLUMN partial INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN status_source TEXT NOT NULL DEFAULT 'derived';
ALTER TABLE documents ADD COLUMN effects TEXT NOT NULL DEFAULT '[]';
