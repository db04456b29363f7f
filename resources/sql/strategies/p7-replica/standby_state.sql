-- p7-replica, on the standby: whether it is still in recovery (a promoted server is not), the last WAL position it
-- replayed, and the size of this database on it.
SELECT pg_is_in_recovery(), coalesce(pg_last_wal_replay_lsn()::text, ''), pg_database_size(current_database());
