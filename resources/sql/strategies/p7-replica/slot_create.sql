-- p7-replica: the physical replication slot the demo's standby streams from ($1), reserving WAL from now on.
SELECT pg_create_physical_replication_slot($1, true)
 WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1);
