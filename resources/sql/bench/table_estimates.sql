-- The planner's row estimates of the gallery tables: how a session describes a database that is not
-- PlanSight's demo (cheap: no table is read).
SELECT c.relname, greatest(c.reltuples, 0)::bigint AS estimated_rows
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema()
  AND c.relkind IN ('r', 'p')
  AND c.relname IN ('users', 'tags', 'content_items', 'content_items_auto', 'content_tags')
ORDER BY c.relname
