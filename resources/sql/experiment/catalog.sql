-- Every object of the user schemas (experiment/catalogdiff.h): not pg_catalog, information_schema, TOAST or temporary
-- schemas, and not the members of an extension (the extension itself is listed). One row each: kind, name (schema
-- qualified; functions with their argument types; columns, triggers and constraints after their table), the table it
-- belongs to (empty for objects of their own) and its bytes (tables: heap and TOAST; indexes; materialized views;
-- 0 for objects without storage). What a variant's setup created is the difference before and after it.
WITH s AS (
    SELECT oid, nspname FROM pg_namespace
     WHERE nspname NOT IN ('pg_catalog', 'information_schema')
       AND nspname NOT LIKE 'pg\_toast%' AND nspname NOT LIKE 'pg\_temp%'
), member AS (
    SELECT classid, objid FROM pg_depend WHERE deptype = 'e'
), rel AS (
    SELECT c.oid, c.relkind, c.relname, quote_ident(s.nspname) || '.' || quote_ident(c.relname) AS qname
      FROM pg_class c JOIN s ON s.oid = c.relnamespace
     WHERE c.relkind <> 't'
       AND NOT EXISTS (SELECT 1 FROM member m WHERE m.classid = 'pg_class'::regclass AND m.objid = c.oid)
)
SELECT 'schema' AS kind, quote_ident(s.nspname) AS name, '' AS parent, 0::bigint AS bytes
  FROM s
 WHERE NOT EXISTS (SELECT 1 FROM member m WHERE m.classid = 'pg_namespace'::regclass AND m.objid = s.oid)
UNION ALL
SELECT CASE relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table' WHEN 'i' THEN 'index'
                    WHEN 'I' THEN 'partitioned index' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                    WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table' WHEN 'c' THEN 'type' ELSE 'relation' END,
       qname, '',
       CASE WHEN relkind IN ('r', 'm') THEN pg_table_size(oid) WHEN relkind IN ('i', 'S') THEN pg_relation_size(oid)
            ELSE 0 END
  FROM rel
UNION ALL
SELECT 'column', r.qname || '.' || quote_ident(a.attname), r.qname, 0
  FROM pg_attribute a JOIN rel r ON r.oid = a.attrelid
 WHERE r.relkind IN ('r', 'p', 'f') AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'trigger', quote_ident(t.tgname) || ' on ' || r.qname, r.qname, 0
  FROM pg_trigger t JOIN rel r ON r.oid = t.tgrelid
 WHERE NOT t.tgisinternal
UNION ALL
SELECT 'constraint', quote_ident(k.conname) || ' on ' || r.qname, r.qname, 0
  FROM pg_constraint k JOIN rel r ON r.oid = k.conrelid
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
       quote_ident(s.nspname) || '.' || quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')',
       '', 0
  FROM pg_proc p JOIN s ON s.oid = p.pronamespace
 WHERE NOT EXISTS (SELECT 1 FROM member m WHERE m.classid = 'pg_proc'::regclass AND m.objid = p.oid)
UNION ALL
SELECT 'type', quote_ident(s.nspname) || '.' || quote_ident(t.typname), '', 0
  FROM pg_type t JOIN s ON s.oid = t.typnamespace
 WHERE t.typtype IN ('e', 'd', 'r', 'm') AND t.typelem = 0
   AND NOT EXISTS (SELECT 1 FROM member m WHERE m.classid = 'pg_type'::regclass AND m.objid = t.oid)
UNION ALL
SELECT 'statistics', quote_ident(s.nspname) || '.' || quote_ident(x.stxname), '', 0
  FROM pg_statistic_ext x JOIN s ON s.oid = x.stxnamespace
UNION ALL
SELECT 'extension', quote_ident(e.extname), '', 0
  FROM pg_extension e
 WHERE e.extname <> 'plpgsql'
