-- Write cost: remove the probe item's tags.
DELETE FROM public.content_tags WHERE content_id = $1::integer AND content_source = 'regular'
