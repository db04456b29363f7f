SELECT finished_at FROM sessions WHERE id = :session_id
