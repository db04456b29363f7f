DELETE FROM workloads WHERE NOT EXISTS (SELECT 1 FROM runs WHERE runs.workload_id = workloads.id)
