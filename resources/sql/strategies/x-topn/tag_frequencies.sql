-- x-topn: how many rows of the time-ordered junction carry each of the tags $1, estimated from the
-- planner's statistics (most common values). A tag absent from the list is rarer than every listed one;
-- it gets the frequency left over for the values outside the list, divided among them.
SELECT t.tag_id::text,
       coalesce(m.freq,
                greatest(1.0 - coalesce((SELECT sum(f) FROM unnest(s.most_common_freqs) f), 0), 0)
                / greatest(coalesce(CASE WHEN s.n_distinct < 0 THEN -s.n_distinct * c.reltuples ELSE s.n_distinct END, 1)
                           - coalesce(cardinality(s.most_common_freqs), 0), 1)) AS frequency
  FROM unnest($1::uuid[]) WITH ORDINALITY AS t(tag_id, ord)
  LEFT JOIN pg_stats s ON s.schemaname = 'public' AND s.tablename = 'ps_x_topn_content_tags' AND s.attname = 'tag_id'
  LEFT JOIN pg_class c ON c.oid = 'public.ps_x_topn_content_tags'::regclass
  LEFT JOIN LATERAL (SELECT v.freq
                       FROM unnest(s.most_common_vals::text::uuid[], s.most_common_freqs) AS v(val, freq)
                      WHERE v.val = t.tag_id) m ON true
 ORDER BY frequency, t.ord
