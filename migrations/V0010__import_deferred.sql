-- Secondary indexes and search triggers a bulk first load set aside, with the SQL that recreates them:
-- the load rebuilds them once at its end, and the next migrate does if the load was stopped before.
CREATE TABLE import_deferred (
    name TEXT PRIMARY KEY,
    sql  TEXT NOT NULL
);
