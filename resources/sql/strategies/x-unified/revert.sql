-- x-unified(-fixed): remove exactly what apply made and leave the base schema as it was. Transactional DDL only.
-- The partitions are detached BEFORE the parent is dropped: dropping a partitioned table drops its partitions,
-- here the content tables themselves.
DROP INDEX IF EXISTS public.PS_PREFIX_tag_src_content;
DO $$
DECLARE
    part record;
BEGIN
    FOR part IN SELECT i.inhrelid::regclass::text AS name FROM pg_inherits i
                 WHERE i.inhparent = to_regclass('public.PS_PREFIX_content_items_all')
    LOOP
        EXECUTE format('ALTER TABLE public.PS_PREFIX_content_items_all DETACH PARTITION %s', part.name);
    END LOOP;
    IF EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhparent = to_regclass('public.PS_PREFIX_content_items_all')) THEN
        RAISE EXCEPTION 'a partition of PS_PREFIX_content_items_all could not be detached; nothing was dropped';
    END IF;
END
$$;
DROP TABLE IF EXISTS public.PS_PREFIX_content_items_all;
DROP INDEX IF EXISTS public.PS_PREFIX_items_uidx_id_src;
DROP INDEX IF EXISTS public.PS_PREFIX_auto_uidx_id_src;
DROP INDEX IF EXISTS public.PS_PREFIX_items_keyset;
DROP INDEX IF EXISTS public.PS_PREFIX_auto_keyset;
ALTER TABLE public.content_items DROP COLUMN IF EXISTS PS_PREFIX_source_type;
ALTER TABLE public.content_items_auto DROP COLUMN IF EXISTS PS_PREFIX_source_type;
