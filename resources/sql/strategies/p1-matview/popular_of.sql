-- p1-matview: which of the tags $1 have their rows in the view.
SELECT p.tag_id::text FROM public.ps_p1_matview_popular p WHERE p.tag_id = ANY($1::uuid[])
