UPDATE sessions SET finished_at = :finished_at WHERE id = :session_id
