-- Whether the server preloads pg_cron and runs its jobs in this database (cron.database_name), so that
-- CREATE EXTENSION pg_cron can succeed here.
SELECT 'pg_cron' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ','))
       AND coalesce(current_setting('cron.database_name', true), 'postgres') = current_database()
       AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_cron')
