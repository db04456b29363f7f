-- Write cost: the probe item's tags ($2), in one statement as an application inserts them.
INSERT INTO public.content_tags (content_id, content_source, tag_id)
SELECT $1::integer, 'regular', t FROM unnest($2::uuid[]) AS t
