-- :pattern is a LIKE pattern built from the user's filter with %, _ and \ escaped; '' lists every session.
SELECT s.id, s.started_at, s.finished_at, s.server, s.server_version, s.database, s.is_demo, s.note,
       s.dataset_fingerprint, s.machine_start_json, s.machine_end_json
FROM sessions s
WHERE :pattern = ''
   OR s.server LIKE :pattern ESCAPE '\'
   OR s.database LIKE :pattern ESCAPE '\'
   OR s.server_version LIKE :pattern ESCAPE '\'
   OR s.note LIKE :pattern ESCAPE '\'
   OR s.dataset_fingerprint LIKE :pattern ESCAPE '\'
   OR EXISTS (SELECT 1 FROM runs r
              WHERE r.session_id = s.id
                AND (r.strategy_id LIKE :pattern ESCAPE '\'
                     OR r.strategy_title LIKE :pattern ESCAPE '\'
                     OR r.workload_name LIKE :pattern ESCAPE '\'))
ORDER BY s.started_at DESC, s.id DESC
