-- p9-partition-hash: the junction copy partitioned by LIST (content_source), and the 'regular' and 'auto' partitions
-- each by HASH (tag_id) into 8 leaves (PartitionStrategy::HashModulus, which names them: keep the two equal).
-- The DEFAULT partition takes any other source value and is not split.
CREATE TABLE public.ps_p9_partition_hash_content_tags (
    content_id integer NOT NULL,
    content_source varchar(10) NOT NULL,
    tag_id uuid NOT NULL
) PARTITION BY LIST (content_source);
CREATE TABLE public.ps_p9_partition_hash_regular PARTITION OF public.ps_p9_partition_hash_content_tags
    FOR VALUES IN ('regular') PARTITION BY HASH (tag_id);
CREATE TABLE public.ps_p9_partition_hash_auto PARTITION OF public.ps_p9_partition_hash_content_tags
    FOR VALUES IN ('auto') PARTITION BY HASH (tag_id);
CREATE TABLE public.ps_p9_partition_hash_other PARTITION OF public.ps_p9_partition_hash_content_tags DEFAULT;
DO $$
BEGIN
    FOR i IN 0..7 LOOP
        EXECUTE format('CREATE TABLE public.%I PARTITION OF public.ps_p9_partition_hash_regular '
                       'FOR VALUES WITH (MODULUS 8, REMAINDER %s)', 'ps_p9_partition_hash_regular_' || i, i);
        EXECUTE format('CREATE TABLE public.%I PARTITION OF public.ps_p9_partition_hash_auto '
                       'FOR VALUES WITH (MODULUS 8, REMAINDER %s)', 'ps_p9_partition_hash_auto_' || i, i);
    END LOOP;
END
$$;
