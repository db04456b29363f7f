-- Per table of $1 (text[] of plain or schema-qualified names, resolved with the search path, in the given order;
-- anything else is simply absent): whether it exists, its
-- quoted name, the planner's row estimate (reltuples, -1 when never analyzed), and its sizes in bytes: heap
-- (main fork), TOAST (table and index), all its indexes, and the total (heap, TOAST, indexes, free space and
-- visibility maps).
SELECT n.name,
    c.oid IS NOT NULL AS present,
    c.oid::regclass::text AS qualified,
    c.reltuples::bigint AS estimated_rows,
    coalesce(pg_relation_size(c.oid, 'main'), 0) AS heap_bytes,
    CASE WHEN c.reltoastrelid <> 0 THEN pg_total_relation_size(c.reltoastrelid) ELSE 0 END AS toast_bytes,
    coalesce(pg_indexes_size(c.oid), 0) AS index_bytes,
    coalesce(pg_total_relation_size(c.oid), 0) AS total_bytes
FROM unnest($1::text[]) WITH ORDINALITY AS n(name, ord)
LEFT JOIN pg_class c ON c.oid = CASE WHEN n.name ~ '^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$'
    THEN to_regclass(n.name) END
ORDER BY n.ord
