-- The tags most used on content_tags, most popular first, as text ids; $1: how many.
-- From the planner's statistics (pg_stats.most_common_vals of content_tags.tag_id) when the table has been
-- analyzed, which costs nothing at any scale; counted exactly only when there are no statistics.
WITH mcv AS (
    SELECT v.tag_id::uuid AS tag_id, f.freq::float8 AS freq
    FROM pg_stats s
    CROSS JOIN LATERAL unnest(s.most_common_vals::text::text[]) WITH ORDINALITY AS v(tag_id, n)
    JOIN LATERAL unnest(s.most_common_freqs) WITH ORDINALITY AS f(freq, n) ON f.n = v.n
    WHERE s.schemaname = current_schema() AND s.tablename = 'content_tags' AND s.attname = 'tag_id'
),
counted AS (
    SELECT tag_id, count(*)::float8 AS freq
    FROM content_tags
    WHERE NOT EXISTS (SELECT 1 FROM mcv)
    GROUP BY tag_id
)
SELECT tag_id::text
FROM (SELECT tag_id, freq FROM mcv UNION ALL SELECT tag_id, freq FROM counted) t
ORDER BY freq DESC, tag_id
LIMIT $1::int
