-- p9-partition: the junction copy, partitioned by LIST (content_source) as the review's P9 proposes (docs/gallery.md,
-- "Partitioning the junction (P9)"). The DEFAULT partition takes any other source value, so a write to
-- content_tags is never refused by the copy; the gallery's query never reads it (a literal 'regular' or 'auto'
-- prunes it).
CREATE TABLE public.ps_p9_partition_content_tags (
    content_id integer NOT NULL,
    content_source varchar(10) NOT NULL,
    tag_id uuid NOT NULL
) PARTITION BY LIST (content_source);
CREATE TABLE public.ps_p9_partition_regular PARTITION OF public.ps_p9_partition_content_tags FOR VALUES IN ('regular');
CREATE TABLE public.ps_p9_partition_auto PARTITION OF public.ps_p9_partition_content_tags FOR VALUES IN ('auto');
CREATE TABLE public.ps_p9_partition_other PARTITION OF public.ps_p9_partition_content_tags DEFAULT;
