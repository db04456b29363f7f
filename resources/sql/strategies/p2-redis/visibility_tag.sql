-- p2-redis write-to-visible: the probe item ($1) carries the looked-up page's tag ($2).
INSERT INTO public.content_tags (content_id, content_source, tag_id) VALUES ($1::integer, 'regular', $2::uuid)
