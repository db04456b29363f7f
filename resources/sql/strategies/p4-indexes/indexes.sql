-- p4-indexes: the review's composite index on the junction, and one partial index per content source.
CREATE INDEX IF NOT EXISTS ps_p4_indexes_tag_source_content ON public.content_tags (tag_id, content_source, content_id);
CREATE INDEX IF NOT EXISTS ps_p4_indexes_regular ON public.content_tags (tag_id, content_id) WHERE content_source = 'regular';
CREATE INDEX IF NOT EXISTS ps_p4_indexes_auto ON public.content_tags (tag_id, content_id) WHERE content_source = 'auto';
