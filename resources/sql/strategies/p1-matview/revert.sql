-- p1-matview: remove exactly what apply made, the pg_cron job included. Transactional DDL only.
DO $do$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
        PERFORM cron.unschedule(jobid) FROM cron.job WHERE jobname = 'ps_p1_matview_refresh';
    END IF;
END
$do$;
DROP FUNCTION IF EXISTS public.ps_p1_matview_refresh();
DROP MATERIALIZED VIEW IF EXISTS public.ps_p1_matview_gallery;
DROP TABLE IF EXISTS public.ps_p1_matview_refreshed;
DROP TABLE IF EXISTS public.ps_p1_matview_popular;
DROP TABLE IF EXISTS public.ps_p1_matview_config;
