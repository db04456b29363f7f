INSERT INTO catalog_snapshots (session_id, taken_at, kind, json) VALUES (:session_id, :taken_at, :kind, :json)
