-- The objects in schema public whose name starts with $1 (a strategy's prefix followed by '_'):
-- what status() compares with the list of objects apply() makes. `usable` is false for an index that is
-- invalid or not ready (a failed CREATE INDEX CONCURRENTLY) and for a disabled trigger.
SELECT 'table' AS kind, c.relname::text AS name, '' AS on_table, true AS usable
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'm', 'v', 'S', 'f') AND starts_with(c.relname::text, $1)
UNION ALL
SELECT 'index', ic.relname::text, tc.relname::text, i.indisvalid AND i.indisready
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_class tc ON tc.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = ic.relnamespace
 WHERE n.nspname = 'public' AND starts_with(ic.relname::text, $1)
UNION ALL
SELECT 'trigger', t.tgname::text, c.relname::text, t.tgenabled <> 'D'
  FROM pg_trigger t
  JOIN pg_class c ON c.oid = t.tgrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND NOT t.tgisinternal AND starts_with(t.tgname::text, $1)
UNION ALL
SELECT 'function', p.proname::text, '', true
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'public' AND starts_with(p.proname::text, $1)
UNION ALL
SELECT 'column', a.attname::text, c.relname::text, true
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
   AND starts_with(a.attname::text, $1)
ORDER BY 1, 3, 2
