-- Write cost: remove the probe item.
DELETE FROM public.content_items WHERE id = $1::integer
