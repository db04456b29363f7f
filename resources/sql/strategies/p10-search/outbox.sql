-- p10-search: the outbox the capture triggers fill (triggers.sql) and PlanSight's indexer drains into the search
-- index (docs/strategies.md, "p10-search"). One row per changed item: its source ('regular' or 'auto') and id, or
-- the source '*' when a table was truncated (the indexer then loads everything again). A plain index on seq (not a
-- constraint: like every strategy's index it can be hidden or dropped for isolation) keeps the drain in order.
CREATE TABLE IF NOT EXISTS public.ps_p10_search_outbox (
    seq bigint GENERATED ALWAYS AS IDENTITY,
    content_source text NOT NULL,
    content_id integer NOT NULL,
    written_at timestamp with time zone NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX IF NOT EXISTS ps_p10_search_outbox_seq_idx ON public.ps_p10_search_outbox (seq);
