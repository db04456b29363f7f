-- x-topn: the time-ordered junction. One row per content_tags row of an existing item, carrying what the
-- gallery query sorts and filters by, so a tag's newest items are the first entries of one index range.
CREATE TABLE IF NOT EXISTS public.ps_x_topn_content_tags (
    tag_id uuid NOT NULL,
    created_at timestamp without time zone NOT NULL,
    content_id integer NOT NULL,
    content_source varchar(10) NOT NULL,
    creator_id uuid NOT NULL
);
