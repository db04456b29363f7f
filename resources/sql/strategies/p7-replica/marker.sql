-- p7-replica: the marker table, one row. Before each run PlanSight writes a new token to it on the primary and polls the
-- standby until the token is visible there: the replica's lag in time (docs/strategies.md, "p7-replica").
CREATE TABLE IF NOT EXISTS public.ps_p7_replica_marker (
    token bigint NOT NULL,
    written_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
INSERT INTO public.ps_p7_replica_marker (token)
SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM public.ps_p7_replica_marker);
