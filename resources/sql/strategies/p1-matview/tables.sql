-- p1-matview: the strategy's bookkeeping. config holds K, the number of popular tags (plansight.p1_top_k, set by
-- PlanSight with set_config before apply; 20 when unset); popular the K tags chosen when it was applied (the
-- review's "top 10-20 tags": a fixed set, chosen again by re-applying); refreshed the time and duration of the
-- last refresh, which the result check reads to say how stale a page is.
CREATE TABLE IF NOT EXISTS public.ps_p1_matview_config (
    top_k integer NOT NULL CHECK (top_k > 0)
);
INSERT INTO public.ps_p1_matview_config (top_k)
SELECT coalesce(nullif(current_setting('plansight.p1_top_k', true), '')::integer, 20);

-- Unique indexes rather than constraints: every index of a strategy can be dropped by name (isolation takes them
-- away inside a rolled-back transaction).
CREATE TABLE IF NOT EXISTS public.ps_p1_matview_popular (
    tag_id uuid NOT NULL,
    items bigint NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ps_p1_matview_popular_tag ON public.ps_p1_matview_popular (tag_id);

CREATE TABLE IF NOT EXISTS public.ps_p1_matview_refreshed (
    refreshed_at timestamptz NOT NULL,
    took_ms double precision NOT NULL
);
