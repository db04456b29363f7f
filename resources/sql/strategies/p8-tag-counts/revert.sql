-- p8-tag-counts: remove exactly what apply made, the pg_cron job included. Transactional DDL only.
DO $do$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
        PERFORM cron.unschedule(jobid) FROM cron.job WHERE jobname = 'ps_p8_tag_counts_refresh';
    END IF;
END
$do$;
DROP FUNCTION IF EXISTS public.ps_p8_tag_counts_refresh();
DROP TABLE IF EXISTS public.ps_p8_tag_counts_refreshed;
DROP TABLE IF EXISTS public.ps_p8_tag_counts_tag_content_counts;
