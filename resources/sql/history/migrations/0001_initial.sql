-- History schema version 1 (PlanSight 0.1 development): sessions, workloads, runs with their timings as a
-- JSON array, compressed plans, footprints and catalog snapshots. Applied by HistoryStore in one transaction,
-- which then sets PRAGMA user_version = 1. Never edit a shipped migration: add the next one.

CREATE TABLE sessions (
    id                  INTEGER PRIMARY KEY,
    started_at          TEXT,                    -- ISO 8601, UTC, milliseconds
    server              TEXT NOT NULL DEFAULT '', -- user@host:port/db or "embedded demo"; never a password
    server_version      TEXT NOT NULL DEFAULT '',
    database            TEXT NOT NULL DEFAULT '',
    is_demo             INTEGER NOT NULL DEFAULT 0,
    settings_json       TEXT NOT NULL DEFAULT '[]', -- [["name", "setting"], ...] non-default settings
    dataset_fingerprint TEXT NOT NULL DEFAULT '',
    dataset_json        TEXT NOT NULL DEFAULT '{}',
    plansight_version   TEXT NOT NULL DEFAULT '',
    note                TEXT NOT NULL DEFAULT ''
);

CREATE TABLE workloads (
    id        INTEGER PRIMARY KEY,
    key       TEXT NOT NULL UNIQUE,             -- Workload::key(), equal for equal workloads
    name      TEXT NOT NULL DEFAULT '',
    json      TEXT NOT NULL
);

CREATE TABLE runs (
    id              INTEGER PRIMARY KEY,
    session_id      INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    ordinal         INTEGER NOT NULL,            -- order of the runs within the session
    strategy_id     TEXT NOT NULL,
    strategy_title  TEXT NOT NULL DEFAULT '',
    workload_id     INTEGER NOT NULL REFERENCES workloads(id),
    workload_name   TEXT NOT NULL DEFAULT '',    -- the preset name as run (equal keys may carry other names)
    workload_json   TEXT NOT NULL,               -- the workload exactly as run
    outcome         TEXT NOT NULL,               -- ok|failed|cancelled|skipped
    error           TEXT NOT NULL DEFAULT '',
    cache_state     TEXT NOT NULL,               -- warm|cold
    warmup_runs     INTEGER NOT NULL DEFAULT 0,
    timings_json    TEXT NOT NULL DEFAULT '[]',  -- every measured run in ms, in order
    stat_count      INTEGER NOT NULL DEFAULT 0,
    stat_min_ms     REAL NOT NULL DEFAULT 0,
    stat_p50_ms     REAL NOT NULL DEFAULT 0,
    stat_p95_ms     REAL NOT NULL DEFAULT 0,
    stat_p99_ms     REAL NOT NULL DEFAULT 0,
    stat_max_ms     REAL NOT NULL DEFAULT 0,
    stat_mean_ms    REAL NOT NULL DEFAULT 0,
    rows_returned   INTEGER NOT NULL DEFAULT 0,
    page_keys_json  TEXT NOT NULL DEFAULT '[]',
    result_check    TEXT NOT NULL,               -- same|different|stale|not-checked|failed
    check_detail    TEXT NOT NULL DEFAULT '',
    speedup_valid   INTEGER NOT NULL DEFAULT 0,
    speedup_ratio   REAL NOT NULL DEFAULT 0,
    speedup_low     REAL NOT NULL DEFAULT 0,
    speedup_high    REAL NOT NULL DEFAULT 0,
    sql             TEXT NOT NULL DEFAULT '',
    params_json     TEXT NOT NULL DEFAULT '[]',
    server_ms       REAL NOT NULL DEFAULT -1,
    planning_ms     REAL NOT NULL DEFAULT -1,
    finished_at     TEXT,
    UNIQUE (session_id, ordinal)
);

CREATE TABLE plans (
    run_id    INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    plan_z    BLOB NOT NULL                      -- qCompress()ed EXPLAIN (FORMAT JSON) text, as the server sent it
);

CREATE TABLE footprints (
    run_id            INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    objects_json      TEXT NOT NULL DEFAULT '[]',
    bytes             INTEGER NOT NULL DEFAULT -1, -- negative: not measured
    build_ms          REAL NOT NULL DEFAULT -1,
    write_ms          REAL NOT NULL DEFAULT -1,
    baseline_write_ms REAL NOT NULL DEFAULT -1,
    staleness         TEXT NOT NULL DEFAULT ''
);

CREATE TABLE catalog_snapshots (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    taken_at    TEXT NOT NULL,
    kind        TEXT NOT NULL,                    -- what was captured: "sizes", "counts", "statistics", ...
    json        TEXT NOT NULL
);
