-- The runs of a session with their footprints and plans. @r.columns@ stands for the declared run fields
-- (session/runfields.h), filled in by history/historystore.cpp.
SELECT r.id, r.workload_json, r.speedup_valid, r.speedup_ratio, r.speedup_low, r.speedup_high, @r.columns@,
       f.run_id AS footprint_run_id, f.objects_json, f.bytes, f.build_ms, f.write_ms, f.baseline_write_ms,
       f.staleness, f.write_low_ms, f.write_high_ms, f.baseline_write_low_ms, f.baseline_write_high_ms,
       f.write_samples, f.refresh_ms, f.visible_ms, f.visible_ttl_only_ms, p.plan_z
FROM runs r
LEFT JOIN footprints f ON f.run_id = r.id
LEFT JOIN plans p ON p.run_id = r.id
WHERE r.session_id = :session_id
ORDER BY r.ordinal
