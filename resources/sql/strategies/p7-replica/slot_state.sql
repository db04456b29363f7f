-- p7-replica: the replication slot $1, when it exists: the pid of the walsender that uses it (NULL when none does).
SELECT active_pid FROM pg_replication_slots WHERE slot_name = $1;
