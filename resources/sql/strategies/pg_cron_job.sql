-- How many pg_cron jobs are named $1 (only run when the extension is there).
SELECT count(*) FROM cron.job WHERE jobname = $1
