-- History schema version 10: a run records the setting overrides it was made under (docs/settings.md: a settings
-- variant's, such as "baseline [jit=off]", or an experiment variant's), as a JSON array of "name=value" texts ('[]':
-- none, the session's own settings), and the time its EXPLAIN ANALYZE spent compiling JIT code (the JIT entry's
-- Timing Total, in ms; 0: nothing compiled; -1: not measured, e.g. runs recorded before). Applied in one transaction;
-- user_version becomes 10.

ALTER TABLE runs ADD COLUMN settings_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE runs ADD COLUMN jit_ms REAL NOT NULL DEFAULT -1;
