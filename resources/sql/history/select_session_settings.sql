SELECT name, setting FROM session_settings WHERE session_id = :session_id ORDER BY idx
