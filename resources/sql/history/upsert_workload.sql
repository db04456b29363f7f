-- The workload row of a normalized key: created on first use, shared by every run with an equal workload (each
-- run keeps its workload exactly as run in runs.workload_json).
INSERT INTO workloads (key, name) VALUES (:key, :name)
ON CONFLICT (key) DO UPDATE SET key = excluded.key
RETURNING id
