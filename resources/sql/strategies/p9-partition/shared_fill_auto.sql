-- p9-partition(-hash): the 'auto' rows of content_tags, straight into their partition (no routing by the parent).
INSERT INTO public.PS_PREFIX_auto (content_id, content_source, tag_id)
SELECT content_id, content_source, tag_id FROM public.content_tags WHERE content_source = 'auto';
