INSERT INTO timings (run_id, idx, ms) VALUES (:run_id, :idx, :ms)
