-- An index that answers the filter and the grouping from the index alone.
CREATE INDEX tag_counts_ex_source_tag ON public.content_tags (content_source, tag_id);
ANALYZE public.content_tags;
