-- p1-matview: one refresh, what the pg_cron job or PlanSight's own timer runs every 5 minutes. CONCURRENTLY keeps
-- the view readable while it is rebuilt (it diffs the new contents against the old by the unique index); the
-- time and duration are recorded for the result check's staleness.
CREATE OR REPLACE FUNCTION public.ps_p1_matview_refresh() RETURNS double precision
LANGUAGE plpgsql AS $fn$
DECLARE
    started timestamptz := clock_timestamp();
    took double precision;
BEGIN
    REFRESH MATERIALIZED VIEW CONCURRENTLY public.ps_p1_matview_gallery;
    took := extract(epoch FROM clock_timestamp() - started) * 1000;
    DELETE FROM public.ps_p1_matview_refreshed;
    INSERT INTO public.ps_p1_matview_refreshed (refreshed_at, took_ms) VALUES (started, took);
    RETURN took;
END
$fn$;
