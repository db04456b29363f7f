UPDATE sessions SET finished_at = :finished_at, machine_end_json = :machine_end_json WHERE id = :session_id
