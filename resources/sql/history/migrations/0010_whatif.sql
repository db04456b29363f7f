-- History schema version 10: what-if against built (strategies/whatif.h). Before the runner built a strategy with
-- indexes, the plan predicted with them made hypothetical (HypoPG): its estimated root cost, the indexes it read and
-- HypoPG's size estimate; after building, the real plan's estimated root cost, its indexes and the indexes' real size.
-- -1 and '[]': not predicted (runs recorded before included). Applied in one transaction; user_version becomes 10.

ALTER TABLE runs ADD COLUMN predicted_cost REAL NOT NULL DEFAULT -1;
ALTER TABLE runs ADD COLUMN predicted_indexes_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE runs ADD COLUMN predicted_index_bytes INTEGER NOT NULL DEFAULT -1;
ALTER TABLE runs ADD COLUMN planned_cost REAL NOT NULL DEFAULT -1;
ALTER TABLE runs ADD COLUMN plan_indexes_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE runs ADD COLUMN built_index_bytes INTEGER NOT NULL DEFAULT -1;
