-- p1-matview: remove exactly what apply made, the pg_cron job included. Transactional DDL only.
DO $do$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
        PERFORM cron.unschedule(jobid) FROM cron.job WHERE jobname = 'ps_p1_matview_refresh';
    END IF;
    -- A refresh running now (the job's, or PlanSight's timer's) holds a lock the DROPs below wait for: at scale 1
    -- p1's takes minutes, longer than the lock_timeout. It is this strategy's own work: cancel it.
    PERFORM pg_cancel_backend(pid) FROM pg_stat_activity
     WHERE pid <> pg_backend_pid() AND datname = current_database() AND state = 'active' AND query LIKE '%ps_p1_matview_refresh()%';
END
$do$;
DROP FUNCTION IF EXISTS public.ps_p1_matview_refresh();
DROP MATERIALIZED VIEW IF EXISTS public.ps_p1_matview_gallery;
DROP TABLE IF EXISTS public.ps_p1_matview_refreshed;
DROP TABLE IF EXISTS public.ps_p1_matview_popular;
DROP TABLE IF EXISTS public.ps_p1_matview_config;
