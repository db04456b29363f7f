-- Runs, timings, plans, footprints, settings and snapshots go with it (ON DELETE CASCADE).
DELETE FROM sessions WHERE id = :session_id
