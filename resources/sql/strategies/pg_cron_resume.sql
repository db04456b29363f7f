-- Sets the pg_cron jobs named in $1 (text[]) active again (after a benchmark held them, or a session that held them
-- was killed). Returns the names of the jobs it resumed.
SELECT j.jobname, cron.alter_job(j.jobid, active => true) IS NULL
  FROM cron.job j
 WHERE j.jobname = ANY ($1::text[]) AND NOT j.active
 ORDER BY j.jobname
