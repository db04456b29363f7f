-- Every index of the tables in $1 (text[] of names): definition, size, and use since the statistics were last
-- reset (pg_stat_user_indexes: scans, index entries read, table rows fetched).
SELECT n.name AS table_name,
    i.relname AS index_name,
    pg_get_indexdef(i.oid) AS definition,
    pg_relation_size(i.oid) AS bytes,
    coalesce(s.idx_scan, 0) AS scans,
    coalesce(s.idx_tup_read, 0) AS tuples_read,
    coalesce(s.idx_tup_fetch, 0) AS tuples_fetched,
    x.indisprimary AS is_primary,
    x.indisunique AS is_unique,
    x.indisvalid AS is_valid
FROM unnest($1::text[]) WITH ORDINALITY AS n(name, ord)
JOIN pg_index x ON x.indrelid = CASE WHEN n.name ~ '^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$'
    THEN to_regclass(n.name) END
JOIN pg_class i ON i.oid = x.indexrelid
LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = x.indexrelid
ORDER BY n.ord, i.relname
