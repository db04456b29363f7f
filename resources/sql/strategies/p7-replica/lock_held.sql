-- p7-replica: whether this session holds PlanSight's database lock ($1: the advisory lock key, strategies/safety.h), to
-- take it again after the restart that changes the demo's WAL level.
SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
                  AND ((classid::bigint << 32) | objid::bigint) = $1::bigint AND objsubid = 1);
