INSERT INTO footprints (run_id, objects_json, bytes, build_ms, write_ms, baseline_write_ms, staleness)
VALUES (:run_id, :objects_json, :bytes, :build_ms, :write_ms, :baseline_write_ms, :staleness)
