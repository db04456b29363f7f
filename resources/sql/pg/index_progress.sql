-- The progress of the index build of backend $1 (pg/indexprogress.h): at most one row, none when it builds none.
-- The index is named only once the catalog shows it (CREATE INDEX CONCURRENTLY; a plain CREATE INDEX reports
-- index_relid 0), the table only when its row is committed.
SELECT p.phase,
       p.command,
       p.blocks_done,
       p.blocks_total,
       p.tuples_done,
       p.tuples_total,
       (SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid = p.index_relid AND p.index_relid <> 0) AS index_name,
       (SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid = p.relid) AS table_name
FROM pg_catalog.pg_stat_progress_create_index p
WHERE p.pid = $1
