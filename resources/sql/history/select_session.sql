SELECT id, started_at, finished_at, server, server_version, database, is_demo, dataset_fingerprint, dataset_json,
       plansight_version, note, machine_start_json, machine_end_json
FROM sessions
WHERE id = :session_id
