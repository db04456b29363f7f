-- x-adaptive without p8-tag-counts: how many items (rows of content_tags) carry each of the tags $1, as far as the
-- choice needs it. The catalog's statistics (most common values) give an estimate for the tags they list; a tag they
-- do not list, or list at no more than twice $2 rows (an estimate is off by a few percent), is counted on the
-- junction's (tag_id, content_id) index, stopping at $2 + 1 rows, so a count costs at most $2 + 1 index entries. Per tag: its id, the estimate (NULL: not listed), the
-- bounded count (NULL: not counted; $2 + 1: more than $2), and for a tag the list leaves out the planner's estimate of
-- its rows (what a count that stopped at $2 + 1 is then taken to be).
SELECT t.tag_id::text,
       round(m.freq * greatest(c.reltuples, 0))::bigint AS estimated,
       CASE WHEN m.freq IS NULL OR m.freq * greatest(c.reltuples, 0) <= 2 * $2::bigint THEN
            (SELECT count(*) FROM (SELECT 1 FROM public.content_tags ct WHERE ct.tag_id = t.tag_id
                                    LIMIT $2::bigint + 1) AS bounded)
       END AS counted,
       -- A tag the list leaves out, as the planner estimates it: the rows the list does not cover, shared by the
       -- values it does not name (NULL without statistics).
       CASE WHEN m.freq IS NULL AND s.n_distinct IS NOT NULL THEN
            round(greatest(1.0 - coalesce((SELECT sum(f) FROM unnest(s.most_common_freqs) f), 0), 0)
                  / greatest(CASE WHEN s.n_distinct < 0 THEN -s.n_distinct * c.reltuples ELSE s.n_distinct END
                             - coalesce(cardinality(s.most_common_freqs), 0), 1)
                  * greatest(c.reltuples, 0))::bigint
       END AS leftover
  FROM unnest($1::uuid[]) AS t(tag_id)
  LEFT JOIN pg_stats s ON s.schemaname = 'public' AND s.tablename = 'content_tags' AND s.attname = 'tag_id'
                      AND NOT s.inherited
  LEFT JOIN pg_class c ON c.oid = 'public.content_tags'::regclass
  LEFT JOIN LATERAL (SELECT v.freq
                       FROM unnest(s.most_common_vals::text::uuid[], s.most_common_freqs) AS v(val, freq)
                      WHERE v.val = t.tag_id) m ON true
