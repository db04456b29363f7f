-- x-topn: fill from content_tags joined to the content tables (junction rows without an item are left
-- out, as the baseline's EXISTS never reaches them either).
INSERT INTO public.ps_x_topn_content_tags (tag_id, created_at, content_id, content_source, creator_id)
SELECT ct.tag_id, ci.created_at, ct.content_id, ct.content_source, ci.creator_id
  FROM public.content_tags ct JOIN public.content_items ci ON ci.id = ct.content_id
 WHERE ct.content_source = 'regular'
UNION ALL
SELECT ct.tag_id, ci.created_at, ct.content_id, ct.content_source, ci.creator_id
  FROM public.content_tags ct JOIN public.content_items_auto ci ON ci.id = ct.content_id
 WHERE ct.content_source = 'auto';
