-- x-topn: a tag's rows newest first; INCLUDE makes the scan index-only (source and creator filters are
-- applied on the index tuples).
CREATE INDEX IF NOT EXISTS ps_x_topn_tag_created ON public.ps_x_topn_content_tags
    (tag_id, created_at DESC, content_id DESC) INCLUDE (content_source, creator_id);
