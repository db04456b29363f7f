-- p2-redis warm-up: the most used tags ($1 of them), most used first.
SELECT tag_id::text FROM public.content_tags GROUP BY tag_id ORDER BY count(*) DESC, tag_id LIMIT $1::int;
