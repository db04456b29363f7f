-- Rows (planner estimate) and heap bytes of the base tables ($1: their names), for the disk estimate
-- (strategies/diskspace.h).
SELECT c.relname, greatest(c.reltuples, 0)::bigint AS estimated_rows, pg_table_size(c.oid) AS heap_bytes
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema()
  AND c.relkind IN ('r', 'p')
  AND c.relname = ANY ($1::text[])
