-- p7-replica: the server's data directory, to recognise PlanSight's own cluster. No row for a user who may not read it
-- (pg_settings hides it from those without pg_read_all_settings).
SELECT setting FROM pg_settings WHERE name = 'data_directory';
