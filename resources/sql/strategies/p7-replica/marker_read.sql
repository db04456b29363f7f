-- p7-replica: whether the marker token $1 is visible (on the standby).
SELECT EXISTS (SELECT 1 FROM public.ps_p7_replica_marker WHERE token = $1::bigint);
