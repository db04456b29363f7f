-- x-rum: every item of both content tables, with the distinct tags content_tags gives it, sorted (an item without a
-- tag gets the empty array: no tag filter ever matches it).
INSERT INTO public.ps_x_rum_items (content_source, content_id, created_at, creator_id, tag_ids)
SELECT 'regular', ci.id, ci.created_at, ci.creator_id, coalesce(t.tag_ids, '{}')
  FROM public.content_items ci
  LEFT JOIN (SELECT content_id, array_agg(DISTINCT tag_id ORDER BY tag_id) AS tag_ids
               FROM public.content_tags WHERE content_source = 'regular' GROUP BY content_id) t ON t.content_id = ci.id
UNION ALL
SELECT 'auto', ci.id, ci.created_at, ci.creator_id, coalesce(t.tag_ids, '{}')
  FROM public.content_items_auto ci
  LEFT JOIN (SELECT content_id, array_agg(DISTINCT tag_id ORDER BY tag_id) AS tag_ids
               FROM public.content_tags WHERE content_source = 'auto' GROUP BY content_id) t ON t.content_id = ci.id;
