// Effect status (graph.effects): documents carry status_source, their effects as JSON text and, per kind of
// effect, the first day it applies (repealed_on, replaced_on, partly_repealed_on, amended_on) for status filters.
CREATE INDEX document_status_source IF NOT EXISTS FOR (d:Document) ON (d.status_source);
