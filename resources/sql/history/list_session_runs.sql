-- The runs of the listed sessions (:session_ids is a JSON array of ids), for the summaries: what the one
-- winner rule (present/ranking.h) needs. @r.columns@ stands for the declared run fields (session/runfields.h).
SELECT r.session_id, r.workload_name, r.workload_json, r.speedup_valid, r.speedup_ratio, r.speedup_low,
       r.speedup_high, @r.columns@
FROM runs r
WHERE r.session_id IN (SELECT value FROM json_each(:session_ids))
ORDER BY r.session_id, r.ordinal
