-- p7-replica, on the primary: how many bytes of WAL the standby has not replayed ($1: its replay LSN).
SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint;
