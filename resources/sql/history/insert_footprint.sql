INSERT INTO footprints (run_id, objects_json, bytes, build_ms, write_ms, baseline_write_ms, staleness,
                        write_low_ms, write_high_ms, baseline_write_low_ms, baseline_write_high_ms, write_samples, refresh_ms,
                        visible_ms, visible_ttl_only_ms)
VALUES (:run_id, :objects_json, :bytes, :build_ms, :write_ms, :baseline_write_ms, :staleness,
        :write_low_ms, :write_high_ms, :baseline_write_low_ms, :baseline_write_high_ms, :write_samples, :refresh_ms,
        :visible_ms, :visible_ttl_only_ms)
