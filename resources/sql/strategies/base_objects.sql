-- The base objects (strategies/planisolation.h): relations and indexes of the user schemas that carry no strategy's
-- prefix, by name, lower case.
SELECT DISTINCT lower(c.relname)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'i', 'I')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp%'
  AND n.nspname NOT LIKE 'ps\_%'
  AND c.relname NOT LIKE 'ps\_%'
