-- The runs of the listed sessions (:session_ids is a JSON array of ids), for the summaries.
SELECT session_id, strategy_id, workload_name, outcome, result_check, stat_count, stat_p50_ms
FROM runs
WHERE session_id IN (SELECT value FROM json_each(:session_ids))
ORDER BY session_id, ordinal
