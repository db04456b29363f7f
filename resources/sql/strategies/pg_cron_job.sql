-- How many pg_cron jobs are named $1, and whether all of them are active (only run when the extension is there).
SELECT count(*), coalesce(bool_and(active), true) FROM cron.job WHERE jobname = $1
