-- p3-tag-array: GIN indexes answering && (any) and @> (all).
CREATE INDEX IF NOT EXISTS ps_p3_tag_array_items_tags ON public.content_items USING gin (ps_p3_tag_array_tag_ids);
CREATE INDEX IF NOT EXISTS ps_p3_tag_array_auto_tags ON public.content_items_auto USING gin (ps_p3_tag_array_tag_ids);
