INSERT INTO sessions (started_at, server, server_version, database, is_demo, dataset_fingerprint, dataset_json,
                      plansight_version, note, machine_start_json, machine_end_json)
VALUES (:started_at, :server, :server_version, :database, :is_demo, :dataset_fingerprint, :dataset_json,
        :plansight_version, :note, :machine_start_json, :machine_end_json)
