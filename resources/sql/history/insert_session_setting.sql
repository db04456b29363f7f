INSERT INTO session_settings (session_id, idx, name, setting) VALUES (:session_id, :idx, :name, :setting)
