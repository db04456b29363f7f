-- History schema version 4: a session records the state of the machine it ran on (load averages, CPU count,
-- memory) at its start and its end, as JSON objects ({} when not read: sessions recorded before); a footprint
-- records the spread (p25 and p75) of its repeated write-cost probes and how many there were (-1 and 0 for
-- footprints recorded before). Applied in one transaction; user_version becomes 4.

ALTER TABLE sessions ADD COLUMN machine_start_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE sessions ADD COLUMN machine_end_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE footprints ADD COLUMN write_low_ms REAL NOT NULL DEFAULT -1;
ALTER TABLE footprints ADD COLUMN write_high_ms REAL NOT NULL DEFAULT -1;
ALTER TABLE footprints ADD COLUMN baseline_write_low_ms REAL NOT NULL DEFAULT -1;
ALTER TABLE footprints ADD COLUMN baseline_write_high_ms REAL NOT NULL DEFAULT -1;
ALTER TABLE footprints ADD COLUMN write_samples INTEGER NOT NULL DEFAULT 0;
