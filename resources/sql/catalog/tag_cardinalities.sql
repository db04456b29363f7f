-- Rows per tag in content_tags, split by content_source, for every tag (0 for tags on no item), most used first.
-- Reads the whole junction (a parallel scan): seconds at small scales, tens of seconds at scale 1.
SELECT t.id::text AS tag_id,
    t.name,
    coalesce(c.regular_rows, 0) AS regular_rows,
    coalesce(c.auto_rows, 0) AS auto_rows
FROM tags t
LEFT JOIN (
    SELECT tag_id,
        count(*) FILTER (WHERE content_source = 'regular') AS regular_rows,
        count(*) FILTER (WHERE content_source = 'auto') AS auto_rows
    FROM content_tags
    GROUP BY tag_id
) c ON c.tag_id = t.id
ORDER BY coalesce(c.regular_rows, 0) + coalesce(c.auto_rows, 0) DESC, t.name
