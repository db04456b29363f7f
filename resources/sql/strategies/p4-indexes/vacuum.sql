-- p4-indexes: the review's VACUUM ANALYZE (outside a transaction: VACUUM cannot run in one).
VACUUM (ANALYZE) public.content_tags, public.content_items, public.content_items_auto;
