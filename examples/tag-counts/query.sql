-- The most used tags of one content source: $1 the source ('regular' or 'auto'), $2 how many.
SELECT t.name, count(*) AS items
  FROM public.content_tags ct
  JOIN public.tags t ON t.id = ct.tag_id
 WHERE ct.content_source = $1
 GROUP BY t.name
 ORDER BY items DESC, t.name
 LIMIT $2
