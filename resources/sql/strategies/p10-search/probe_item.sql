-- p10-search's sync lag probe: one indexed item (the newest regular one, else the newest auto one).
(SELECT 'regular' AS source, ci.id FROM public.content_items ci JOIN public.users u ON u.id = ci.creator_id
  ORDER BY ci.id DESC LIMIT 1)
UNION ALL
(SELECT 'auto', ci.id FROM public.content_items_auto ci JOIN public.users u ON u.id = ci.creator_id
  ORDER BY ci.id DESC LIMIT 1)
LIMIT 1;
