-- A pg_cron job named $1 on the schedule $2 running $3 (pg_cron 1.3 and later).
SELECT cron.schedule($1, $2, $3)
