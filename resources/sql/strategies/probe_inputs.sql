-- Write cost: a creator and up to $1 tags for the probe item (deterministic: the smallest ids).
SELECT (SELECT id::text FROM public.users ORDER BY id LIMIT 1) AS creator,
       ARRAY(SELECT id::text FROM public.tags ORDER BY id LIMIT $1::integer) AS tags
