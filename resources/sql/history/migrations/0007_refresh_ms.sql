-- History schema version 7: a footprint records how long one refresh of a refreshed strategy took (p1-matview's
-- view, p8-tag-counts' counts), in ms, like its build time. -1: not measured (other strategies, runs recorded
-- before). Applied in one transaction; user_version becomes 7.

ALTER TABLE footprints ADD COLUMN refresh_ms REAL NOT NULL DEFAULT -1;
