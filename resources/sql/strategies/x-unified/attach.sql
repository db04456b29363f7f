-- x-unified(-fixed): the content tables become the parent's partitions (PS_REGULAR: see columns.sql) (each is scanned once to check its rows
-- belong). They keep their own primary keys, indexes, triggers and foreign keys.
ALTER TABLE public.PS_PREFIX_content_items_all ATTACH PARTITION public.content_items FOR VALUES IN ('PS_REGULAR');
ALTER TABLE public.PS_PREFIX_content_items_all ATTACH PARTITION public.content_items_auto FOR VALUES IN ('auto');
