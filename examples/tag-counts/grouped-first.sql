-- Count per tag id first, then look the names up: the join sees one row per tag instead of one per item.
SELECT t.name, c.items
  FROM (SELECT tag_id, count(*) AS items
          FROM public.content_tags
         WHERE content_source = $1
         GROUP BY tag_id) c
  JOIN public.tags t ON t.id = c.tag_id
 ORDER BY c.items DESC, t.name
 LIMIT $2
