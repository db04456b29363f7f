-- p3-tag-array: fill the arrays from content_tags (sorted, so equal tag sets give equal arrays).
UPDATE public.content_items c
   SET ps_p3_tag_array_tag_ids = s.tag_ids
  FROM (SELECT content_id, array_agg(tag_id ORDER BY tag_id) AS tag_ids
          FROM public.content_tags WHERE content_source = 'regular' GROUP BY content_id) s
 WHERE s.content_id = c.id;
UPDATE public.content_items_auto c
   SET ps_p3_tag_array_tag_ids = s.tag_ids
  FROM (SELECT content_id, array_agg(tag_id ORDER BY tag_id) AS tag_ids
          FROM public.content_tags WHERE content_source = 'auto' GROUP BY content_id) s
 WHERE s.content_id = c.id;
