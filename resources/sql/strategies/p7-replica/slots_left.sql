-- p7-replica's revert: the replication slots left once its own is dropped (another's slot needs wal_level replica or
-- higher: the demo would not start at minimal).
SELECT count(*) FROM pg_replication_slots;
