INSERT INTO sessions (started_at, server, server_version, database, is_demo, dataset_fingerprint, dataset_json,
                      plansight_version, note)
VALUES (:started_at, :server, :server_version, :database, :is_demo, :dataset_fingerprint, :dataset_json,
        :plansight_version, :note)
