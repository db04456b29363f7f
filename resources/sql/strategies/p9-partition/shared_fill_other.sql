-- p9-partition(-hash): rows with any other source (none in the app's data), into the DEFAULT partition.
INSERT INTO public.PS_PREFIX_other (content_id, content_source, tag_id)
SELECT content_id, content_source, tag_id FROM public.content_tags WHERE content_source NOT IN ('regular', 'auto');
