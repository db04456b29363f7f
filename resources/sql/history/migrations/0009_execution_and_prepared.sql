-- History schema version 9: a run's EXPLAIN execution time is called what it is (runs.server_ms held the execution
-- time alone and becomes execution_ms; the server's time is planning_ms + execution_ms, unknown when either is -1),
-- and a run records its statement prepared once and executed (PQprepare / PQexecPrepared) beside the statement sent
-- each time: the prepared runs' count and client-time statistics (0 and -1: not measured, e.g. runs recorded before)
-- and how they went or why there are none. Applied in one transaction; user_version becomes 9.

ALTER TABLE runs RENAME COLUMN server_ms TO execution_ms;
ALTER TABLE runs ADD COLUMN prepared_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN prepared_min_ms REAL NOT NULL DEFAULT -1;
ALTER TABLE runs ADD COLUMN prepared_p50_ms REAL NOT NULL DEFAULT -1;
ALTER TABLE runs ADD COLUMN prepared_p95_ms REAL NOT NULL DEFAULT -1;
ALTER TABLE runs ADD COLUMN prepared_p99_ms REAL NOT NULL DEFAULT -1;
ALTER TABLE runs ADD COLUMN prepared_max_ms REAL NOT NULL DEFAULT -1;
ALTER TABLE runs ADD COLUMN prepared_mean_ms REAL NOT NULL DEFAULT -1;
ALTER TABLE runs ADD COLUMN prepared_note TEXT NOT NULL DEFAULT '';
