-- x-topn: set the visibility map (index-only scans) and collect the tag statistics the rarest-tag choice
-- reads (outside a transaction: VACUUM cannot run in one).
VACUUM (ANALYZE) public.ps_x_topn_content_tags;
