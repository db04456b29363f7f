-- p7-replica: drops the replication slot $1 (the caller has checked that no walsender uses it).
SELECT pg_drop_replication_slot($1);
