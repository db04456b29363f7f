-- Cancels the refreshes running now in this database whose statement calls one of the functions named in $1
-- (text[]: "ps_p1_matview_refresh", ...): a pg_cron job's run or PlanSight's timer's. A cancelled refresh keeps the
-- strategy's previous content. Returns the names whose refresh was running. The backends are chosen first (a
-- materialized CTE), so that pg_cancel_backend never runs for a row the filter would have dropped.
WITH running AS MATERIALIZED (
    SELECT a.pid, f.name
      FROM pg_stat_activity a
      JOIN unnest($1::text[]) AS f(name) ON strpos(a.query, 'public.' || f.name || '()') > 0
     WHERE a.pid <> pg_backend_pid() AND a.datname = current_database() AND a.state = 'active'
)
SELECT DISTINCT name FROM running WHERE pg_cancel_backend(pid) ORDER BY name
