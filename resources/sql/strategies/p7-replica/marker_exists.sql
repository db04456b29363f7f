-- p7-replica: whether the marker table is there (on the primary).
SELECT to_regclass('public.ps_p7_replica_marker') IS NOT NULL;
