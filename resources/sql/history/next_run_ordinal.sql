SELECT coalesce(max(ordinal), 0) + 1 FROM runs WHERE session_id = :session_id
