-- History schema version 3: a run carries a note on how it was made (the strategy's note on its query, such
-- as "page 1000 reached by following 999 cursors", and the runner's, such as a time budget that cut the
-- measured runs short). Runs recorded before have none. Applied in one transaction; user_version becomes 3.

ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT '';
