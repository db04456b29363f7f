-- :machine_end_json is '{}' when the end state was not read: a state stored before is kept.
UPDATE sessions
SET finished_at = :finished_at,
    machine_end_json = CASE WHEN :machine_end_json = '{}' THEN machine_end_json ELSE :machine_end_json END
WHERE id = :session_id
