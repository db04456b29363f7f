-- History schema version 2: every measured run becomes a row of `timings` (was a JSON array in
-- runs.timings_json), the non-default settings become rows of `session_settings` (were a JSON array in
-- sessions.settings_json), sessions record when they finished (NULL: interrupted), and catalog snapshots
-- get an index by session. Existing data is carried over. Applied in one transaction; user_version becomes 2.

CREATE TABLE timings (
    run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    idx     INTEGER NOT NULL,                     -- 0-based position among the measured runs
    ms      REAL NOT NULL,
    PRIMARY KEY (run_id, idx)
) WITHOUT ROWID;

INSERT INTO timings (run_id, idx, ms)
SELECT runs.id, CAST(j.key AS INTEGER), j.value
FROM runs, json_each(runs.timings_json) AS j;

ALTER TABLE runs DROP COLUMN timings_json;

CREATE TABLE session_settings (
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    name        TEXT NOT NULL,
    setting     TEXT NOT NULL,
    PRIMARY KEY (session_id, idx)
) WITHOUT ROWID;

INSERT INTO session_settings (session_id, idx, name, setting)
SELECT sessions.id, CAST(j.key AS INTEGER), json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]')
FROM sessions, json_each(sessions.settings_json) AS j;

ALTER TABLE sessions DROP COLUMN settings_json;

ALTER TABLE sessions ADD COLUMN finished_at TEXT;

-- Version 1 had no notion of an interrupted session: its sessions count as finished with their last run.
UPDATE sessions SET finished_at = coalesce((SELECT max(finished_at) FROM runs WHERE runs.session_id = sessions.id),
                                           started_at);

CREATE INDEX catalog_snapshots_by_session ON catalog_snapshots (session_id);
