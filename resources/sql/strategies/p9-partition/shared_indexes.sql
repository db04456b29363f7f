-- p9-partition(-hash): a (content_id, tag_id) index, which serves the gallery's EXISTS probe and the triggers'
-- deletes, and a (tag_id, content_id) index, as content_tags has, on every table of the partition tree. The leaves
-- are indexed first; an index on a partitioned table then attaches its partitions' matching indexes instead of
-- building new ones, so every index has the name <table>_content or <table>_tag (PartitionStrategy::objects()).
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT c.relname
               FROM pg_partition_tree('public.PS_PREFIX_content_tags') p JOIN pg_class c ON c.oid = p.relid
              ORDER BY p.level DESC, c.relname
    LOOP
        EXECUTE format('CREATE INDEX %I ON public.%I (content_id, tag_id)', t.relname || '_content', t.relname);
        EXECUTE format('CREATE INDEX %I ON public.%I (tag_id, content_id)', t.relname || '_tag', t.relname);
    END LOOP;
END
$$;
