-- The most used of the tags that sit on fewer than $1 rows of content_tags (but on at least one), as a text id.
-- Each tag's count stops at $1 rows, so popular tags cost at most $1 index entries each.
SELECT t.id::text, c.n
FROM tags t
CROSS JOIN LATERAL (
    SELECT count(*) AS n
    FROM (SELECT 1 FROM content_tags ct WHERE ct.tag_id = t.id LIMIT $1::bigint) l
) c
WHERE c.n > 0 AND c.n < $1::bigint
ORDER BY c.n DESC, t.id
LIMIT 1
