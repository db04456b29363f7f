INSERT INTO runs (session_id, ordinal, strategy_id, strategy_title, workload_id, workload_name, workload_json,
                  outcome, error, cache_state, warmup_runs,
                  stat_count, stat_min_ms, stat_p50_ms, stat_p95_ms, stat_p99_ms, stat_max_ms, stat_mean_ms,
                  rows_returned, page_keys_json, result_check, check_detail, note,
                  speedup_valid, speedup_ratio, speedup_low, speedup_high,
                  sql, params_json, server_ms, planning_ms, finished_at)
VALUES (:session_id, :ordinal, :strategy_id, :strategy_title, :workload_id, :workload_name, :workload_json,
        :outcome, :error, :cache_state, :warmup_runs,
        :stat_count, :stat_min_ms, :stat_p50_ms, :stat_p95_ms, :stat_p99_ms, :stat_max_ms, :stat_mean_ms,
        :rows_returned, :page_keys_json, :result_check, :check_detail, :note,
        :speedup_valid, :speedup_ratio, :speedup_low, :speedup_high,
        :sql, :params_json, :server_ms, :planning_ms, :finished_at)
