-- p8-tag-counts: statistics of the counts (outside a transaction: VACUUM cannot run in one).
VACUUM (ANALYZE) public.ps_p8_tag_counts_tag_content_counts;
