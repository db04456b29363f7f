-- One run. @columns@ and @parameters@ stand for the declared run fields (session/runfields.h), filled in by
-- history/historystore.cpp; the columns named here are the run's parts that are not one flat value.
INSERT INTO runs (session_id, ordinal, workload_id, workload_name, workload_json,
                  speedup_valid, speedup_ratio, speedup_low, speedup_high, @columns@)
VALUES (:session_id, :ordinal, :workload_id, :workload_name, :workload_json,
        :speedup_valid, :speedup_ratio, :speedup_low, :speedup_high, @parameters@)
