-- The top queries of pg_stat_statements in the current database (experiment/experimentsource.h), for
-- `plansight experiment new --from-statements`: the $1 first by total execution time and the $1 first by mean
-- execution time, one row per query text (the rows of several users or nesting levels summed). Only queries an
-- experiment can measure as its baseline (SELECT, WITH, VALUES, TABLE), and not the reads of this view itself.
-- Columns of PostgreSQL 13 and later (total_exec_time, mean_exec_time).
WITH s AS (
  SELECT queryid::text AS queryid, query,
         sum(calls)::bigint AS calls,
         sum(total_exec_time) AS total_ms,
         sum(rows)::bigint AS rows
    FROM pg_stat_statements
   WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
     AND calls > 0
     AND query ~* '^\s*(select|with|values|table)\M'
     AND query !~* 'pg_stat_statements'
   GROUP BY queryid, query
), ranked AS (
  SELECT s.*, total_ms / calls AS mean_ms,
         row_number() OVER (ORDER BY total_ms DESC, queryid) AS total_rank,
         row_number() OVER (ORDER BY total_ms / calls DESC, queryid) AS mean_rank
    FROM s
)
SELECT queryid, calls, total_ms, mean_ms, rows, total_rank, mean_rank, query
  FROM ranked
 WHERE total_rank <= $1 OR mean_rank <= $1
 ORDER BY total_rank
