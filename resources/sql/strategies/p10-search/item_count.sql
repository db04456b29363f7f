-- p10-search: how many items the bulk load sends (for its progress).
SELECT (SELECT count(*) FROM public.content_items ci JOIN public.users u ON u.id = ci.creator_id)
     + (SELECT count(*) FROM public.content_items_auto ci JOIN public.users u ON u.id = ci.creator_id);
