-- Holds the pg_cron jobs named in $1 (text[]) that are active: pg_cron 1.4's alter_job sets them inactive, so that
-- no refresh of a strategy runs beside the queries a benchmark measures. Returns the names of the jobs it held.
SELECT j.jobname, cron.alter_job(j.jobid, active => false) IS NULL
  FROM cron.job j
 WHERE j.jobname = ANY ($1::text[]) AND j.active
 ORDER BY j.jobname
