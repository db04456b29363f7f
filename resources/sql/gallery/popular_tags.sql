-- The tags most used on content_tags, most popular first, as text ids; $1: how many, $2: the percentage of the
-- junction's pages to sample (about 200,000 rows: enough to rank tags, and cheap at any scale). The sample is
-- REPEATABLE, so the same data gives the same tags. (The planner's most-common-values list cannot serve here: it
-- is empty or truncated when many tags are about equally common, as in the app's data.)
SELECT tag_id::text
FROM content_tags TABLESAMPLE SYSTEM ($2::float8) REPEATABLE (17)
GROUP BY tag_id
ORDER BY count(*) DESC, tag_id
LIMIT $1::int
