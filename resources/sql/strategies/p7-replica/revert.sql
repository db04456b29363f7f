-- p7-replica: remove exactly what apply made in the database (the standby, its slot and the WAL level are not
-- objects of a database: ReplicaStrategy::revert removes them). Transactional DDL only.
DROP TABLE IF EXISTS public.ps_p7_replica_marker;
