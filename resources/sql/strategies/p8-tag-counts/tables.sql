-- p8-tag-counts: the review's P8, exact item counts per tag and source, and the time and duration of their last
-- refresh (the result check reads it to say how stale an answer is).
CREATE TABLE IF NOT EXISTS public.ps_p8_tag_counts_tag_content_counts (
    tag_id uuid NOT NULL,
    content_source varchar(10) NOT NULL,
    count bigint NOT NULL
);
-- A unique index rather than a constraint: every index of a strategy can be dropped by name (isolation takes them
-- away inside a rolled-back transaction).
CREATE UNIQUE INDEX IF NOT EXISTS ps_p8_tag_counts_key ON public.ps_p8_tag_counts_tag_content_counts
    (tag_id, content_source);

CREATE TABLE IF NOT EXISTS public.ps_p8_tag_counts_refreshed (
    refreshed_at timestamptz NOT NULL,
    took_ms double precision NOT NULL
);
