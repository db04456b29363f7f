-- Who holds PlanSight's database lock ($1: the advisory lock key, strategies/safety.h): pid and
-- application_name of the session, in this database. No row when nobody holds it.
SELECT a.pid::text, coalesce(a.application_name, '')
  FROM pg_locks l
  JOIN pg_stat_activity a ON a.pid = l.pid
 WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
   AND ((l.classid::bigint << 32) | l.objid::bigint) = $1::bigint
 LIMIT 1
