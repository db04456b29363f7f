-- x-rum: one row per content item of either table, with its tags as a sorted array beside the created_at the RUM
-- index orders them by (docs/strategies.md, x-rum). Its own table rather than a column on the content tables: the
-- content tables are not rewritten, nothing else's plans change, and the copy stays applied between sessions.
--
-- sort_at is created_at held within [1900-01-01 00:00:00.000001, 3000-01-01]: RUM orders by a float8 distance to
-- an anchor, which is infinite (every row tying) for an infinite timestamp and loses microseconds far from the
-- anchor. Inside those bounds the distance is exact to about 8 microseconds and orders as created_at does; outside
-- them rows tie, which the query's WITH TIES and its final sort on created_at resolve (never a wrong page).
CREATE TABLE IF NOT EXISTS public.ps_x_rum_items (
    content_source varchar(10) NOT NULL,
    content_id integer NOT NULL,
    created_at timestamp without time zone NOT NULL,
    creator_id uuid NOT NULL,
    tag_ids uuid[] NOT NULL,
    sort_at timestamp without time zone NOT NULL GENERATED ALWAYS AS (
        least(greatest(created_at, '1900-01-01 00:00:00.000001'::timestamp), '3000-01-01 00:00:00'::timestamp)) STORED
);
