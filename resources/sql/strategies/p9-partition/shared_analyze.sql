-- p9-partition(-hash): visibility map and statistics of every partition and of the parent (outside a transaction:
-- VACUUM cannot run in one).
VACUUM (ANALYZE) public.PS_PREFIX_content_tags;
