-- p8-tag-counts: one refresh, what the pg_cron job or PlanSight's own timer runs every 5 minutes: the counts
-- computed again by one aggregation over content_tags and swapped in inside the function's transaction (DELETE,
-- not TRUNCATE, so readers keep reading the old counts meanwhile instead of waiting for a lock).
CREATE OR REPLACE FUNCTION public.ps_p8_tag_counts_refresh() RETURNS double precision
LANGUAGE plpgsql AS $fn$
DECLARE
    started timestamptz := clock_timestamp();
    took double precision;
BEGIN
    DELETE FROM public.ps_p8_tag_counts_tag_content_counts;
    INSERT INTO public.ps_p8_tag_counts_tag_content_counts (tag_id, content_source, count)
    SELECT ct.tag_id, ct.content_source, count(*)
      FROM public.content_tags ct
     GROUP BY ct.tag_id, ct.content_source;
    took := extract(epoch FROM clock_timestamp() - started) * 1000;
    DELETE FROM public.ps_p8_tag_counts_refreshed;
    INSERT INTO public.ps_p8_tag_counts_refreshed (refreshed_at, took_ms) VALUES (started, took);
    RETURN took;
END
$fn$;
