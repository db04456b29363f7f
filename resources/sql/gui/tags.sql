-- The tags the workload editor offers, with the number of junction rows (items) carrying each, most used first.
-- Estimated the way the planner does, from the statistics of content_tags.tag_id, which costs nothing at any
-- scale: a most-common value gets its frequency x reltuples; any other tag gets the remaining frequency shared
-- evenly over the remaining distinct values. NULL when the table was never analyzed.
WITH st AS (
    SELECT s.most_common_vals::text::text[] AS vals, s.most_common_freqs AS freqs,
        CASE WHEN s.n_distinct < 0 THEN -s.n_distinct * greatest(c.reltuples, 0) ELSE s.n_distinct END AS distinct_values,
        greatest(c.reltuples, 0)::float8 AS total
    FROM pg_stats s
    JOIN pg_class c ON c.oid = to_regclass('content_tags')
    WHERE s.schemaname = current_schema() AND s.tablename = 'content_tags' AND s.attname = 'tag_id'
),
mcv AS (
    SELECT v.tag_id::uuid AS tag_id, f.freq::float8 AS freq
    FROM st
    CROSS JOIN LATERAL unnest(st.vals) WITH ORDINALITY AS v(tag_id, n)
    JOIN LATERAL unnest(st.freqs) WITH ORDINALITY AS f(freq, n) ON f.n = v.n
),
other AS (
    SELECT greatest(1 - coalesce((SELECT sum(freq) FROM mcv), 0), 0)
        / greatest(st.distinct_values - coalesce(array_length(st.vals, 1), 0), 1) AS freq, st.total
    FROM st
)
SELECT t.id::text AS id, t.name, round(coalesce(m.freq, o.freq) * o.total)::bigint AS items
FROM tags t
LEFT JOIN mcv m ON m.tag_id = t.id
LEFT JOIN other o ON true
ORDER BY items DESC NULLS LAST, t.name
