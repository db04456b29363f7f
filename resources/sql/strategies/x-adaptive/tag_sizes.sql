-- x-adaptive without p8-tag-counts: how many items (rows of content_tags) carry each of the tags $1, as far as the
-- choice needs it. The catalog's statistics (most common values) give an estimate for the tags they list; a tag they
-- do not list, or list at no more than twice $2 rows (an estimate is off by a few percent), is counted on the
-- junction's (tag_id, content_id) index, stopping at $2 + 1 rows, so a count costs at most $2 + 1 index entries. Per tag: its id, the estimate (NULL: not listed), the
-- bounded count (NULL: not counted; $2 + 1: more than $2).
SELECT t.tag_id::text,
       round(m.freq * greatest(c.reltuples, 0))::bigint AS estimated,
       CASE WHEN m.freq IS NULL OR m.freq * greatest(c.reltuples, 0) <= 2 * $2::bigint THEN
            (SELECT count(*) FROM (SELECT 1 FROM public.content_tags ct WHERE ct.tag_id = t.tag_id
                                    LIMIT $2::bigint + 1) AS bounded)
       END AS counted
  FROM unnest($1::uuid[]) AS t(tag_id)
  LEFT JOIN pg_stats s ON s.schemaname = 'public' AND s.tablename = 'content_tags' AND s.attname = 'tag_id'
                      AND NOT s.inherited
  LEFT JOIN pg_class c ON c.oid = 'public.content_tags'::regclass
  LEFT JOIN LATERAL (SELECT v.freq
                       FROM unnest(s.most_common_vals::text::uuid[], s.most_common_freqs) AS v(val, freq)
                      WHERE v.val = t.tag_id) m ON true
