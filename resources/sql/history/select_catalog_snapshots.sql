SELECT id, taken_at, kind, json FROM catalog_snapshots WHERE session_id = :session_id ORDER BY id
