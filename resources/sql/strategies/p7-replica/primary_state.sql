-- p7-replica on PlanSight's own cluster: the running WAL level, max_wal_senders, the cluster's system identifier (a
-- standby copied from another cluster is not this one's) and whether the replication slot $1 exists.
SELECT current_setting('wal_level'),
       current_setting('max_wal_senders')::int,
       (SELECT system_identifier::text FROM pg_control_system()),
       EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1);
