-- x-unified and x-unified-fixed (PS_PREFIX is the strategy's prefix): the partitioned parent of the fix the app's
-- team shipped (docs/gallery.md, "The fix the app's team shipped"), with the content tables' own columns and the
-- source column. Both content tables must be free to become its partitions.
DO $$
DECLARE
    col text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_class WHERE oid IN ('public.content_items'::regclass, 'public.content_items_auto'::regclass)
                AND relispartition) THEN
        RAISE EXCEPTION 'content_items or content_items_auto is already a partition of another table (x-unified, '
                        'x-unified-fixed or the app''s own content_items_all); revert or detach that first';
    END IF;
    SELECT string_agg(DISTINCT a.attname::text, ', ') INTO col
      FROM pg_attribute a
     WHERE a.attrelid IN ('public.content_items'::regclass, 'public.content_items_auto'::regclass)
       AND a.attnum > 0 AND NOT a.attisdropped AND starts_with(a.attname::text, 'ps_');
    IF col IS NOT NULL THEN
        RAISE EXCEPTION 'the content tables carry the column % of another PlanSight strategy, which a partition cannot '
                        'have without its parent; revert that strategy first (plansight strategies revert p3-tag-array)', col;
    END IF;
END
$$;
CREATE TABLE public.PS_PREFIX_content_items_all (
    LIKE public.content_items,
    PS_PREFIX_source_type text NOT NULL
) PARTITION BY LIST (PS_PREFIX_source_type);
