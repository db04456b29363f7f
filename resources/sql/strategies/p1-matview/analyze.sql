-- p1-matview: statistics and the visibility map of the view (outside a transaction: VACUUM cannot run in one).
VACUUM (ANALYZE) public.ps_p1_matview_gallery, public.ps_p1_matview_popular;
