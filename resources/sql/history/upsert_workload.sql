-- The workload row of a normalized key: created on first use, shared by every run with an equal workload.
INSERT INTO workloads (key, name, json) VALUES (:key, :name, :json)
ON CONFLICT (key) DO UPDATE SET key = excluded.key
RETURNING id
