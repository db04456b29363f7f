-- p8-tag-counts: the first fill is a refresh.
SELECT public.ps_p8_tag_counts_refresh();
