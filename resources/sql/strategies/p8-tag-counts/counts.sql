-- p8-tag-counts: items carrying each tag, from the counts table; $1 the content_source values to count
-- ('regular', 'auto'), $2 the tags (an empty array: every tag counted).
SELECT c.tag_id::text, sum(c.count)::bigint
  FROM public.ps_p8_tag_counts_tag_content_counts c
 WHERE c.content_source = ANY($1::text[])
   AND (cardinality($2::uuid[]) = 0 OR c.tag_id = ANY($2::uuid[]))
 GROUP BY c.tag_id
