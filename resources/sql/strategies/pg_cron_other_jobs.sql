-- How many pg_cron jobs are not a strategy's refresh (ps_<id>_refresh, strategies/refresh.h): a pg_cron that
-- PlanSight created but that holds such a job is kept on revert (only run when the extension is there).
SELECT count(*) FROM cron.job WHERE jobname IS NULL OR jobname NOT LIKE 'ps\_%\_refresh'
