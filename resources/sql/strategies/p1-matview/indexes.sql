-- p1-matview: the unique key REFRESH MATERIALIZED VIEW CONCURRENTLY needs (a junction row is unique by tag,
-- source and item); newest-first paging of one tag; the creator filter (the user kinds) of one tag.
CREATE UNIQUE INDEX IF NOT EXISTS ps_p1_matview_key ON public.ps_p1_matview_gallery (tag_id, source, id);
CREATE INDEX IF NOT EXISTS ps_p1_matview_newest ON public.ps_p1_matview_gallery
    (tag_id, created_at DESC, id DESC, source DESC);
CREATE INDEX IF NOT EXISTS ps_p1_matview_creator ON public.ps_p1_matview_gallery
    (tag_id, creator_id, created_at DESC, id DESC);
