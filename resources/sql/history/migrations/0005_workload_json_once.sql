-- History schema version 5: a run's workload is stored once. Each run keeps its workload exactly as run
-- (runs.workload_json, with its name and the order of its tags and sources); the shared `workloads` row, one per
-- normalized key, held a second copy of the first such JSON that nothing read, and loses it. Applied in one
-- transaction; user_version becomes 5.

ALTER TABLE workloads DROP COLUMN json;
