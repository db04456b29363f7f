-- p3-tag-array: reclaim the row versions the fill left behind and give the planner statistics on the
-- new column (outside a transaction: VACUUM cannot run in one).
VACUUM (ANALYZE) public.content_items, public.content_items_auto;
