SELECT r.id, r.strategy_id, r.strategy_title, r.workload_json, r.outcome, r.error, r.cache_state, r.warmup_runs,
       r.stat_count, r.stat_min_ms, r.stat_p50_ms, r.stat_p95_ms, r.stat_p99_ms, r.stat_max_ms, r.stat_mean_ms,
       r.rows_returned, r.page_keys_json, r.result_check, r.check_detail, r.note,
       r.speedup_valid, r.speedup_ratio, r.speedup_low, r.speedup_high,
       r.sql, r.params_json, r.server_ms, r.planning_ms, r.finished_at,
       f.run_id AS footprint_run_id, f.objects_json, f.bytes, f.build_ms, f.write_ms, f.baseline_write_ms,
       f.staleness, f.write_low_ms, f.write_high_ms, f.baseline_write_low_ms, f.baseline_write_high_ms,
       f.write_samples, p.plan_z
FROM runs r
LEFT JOIN footprints f ON f.run_id = r.id
LEFT JOIN plans p ON p.run_id = r.id
WHERE r.session_id = :session_id
ORDER BY r.ordinal
