-- History schema version 6: a run records the shared buffers its EXPLAIN ANALYZE found in PostgreSQL's cache
-- (hit) and read from outside it (read), for the whole plan: how warm the cache was. -1: not measured (runs
-- recorded before, or without EXPLAIN). Applied in one transaction; user_version becomes 6.

ALTER TABLE runs ADD COLUMN shared_hit_blocks INTEGER NOT NULL DEFAULT -1;
ALTER TABLE runs ADD COLUMN shared_read_blocks INTEGER NOT NULL DEFAULT -1;
