DROP INDEX public.tag_counts_ex_source_tag;
