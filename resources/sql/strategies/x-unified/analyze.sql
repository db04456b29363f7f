-- x-unified(-fixed): statistics of the parent (the planner reads them for the query over it) and its partitions,
-- and the junction's visibility map for the new index (outside a transaction: VACUUM cannot run in one).
VACUUM (ANALYZE) public.content_tags, public.PS_PREFIX_content_items_all;
