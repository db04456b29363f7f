-- p1-matview: the K tags carrying the most items (ties by tag id, so the choice is repeatable).
INSERT INTO public.ps_p1_matview_popular (tag_id, items)
SELECT ct.tag_id, count(*)
  FROM public.content_tags ct
 GROUP BY ct.tag_id
 ORDER BY count(*) DESC, ct.tag_id
 LIMIT (SELECT top_k FROM public.ps_p1_matview_config);
