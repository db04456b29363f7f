-- x-unified(-fixed): how many of the two content tables are partitions of the parent $1 (2 when applied).
SELECT count(*) FROM pg_inherits i
 WHERE i.inhparent = to_regclass($1)
   AND i.inhrelid IN ('public.content_items'::regclass, 'public.content_items_auto'::regclass)
