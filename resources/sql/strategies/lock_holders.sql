-- The sessions other than this one that hold a lock on the relation $1 (a table; for an index, its table), for the
-- message of a statement that waited longer than its lock_timeout: pid, lock mode ("ACCESS EXCLUSIVE"),
-- application_name, state ("idle in transaction") and the start of what it runs (its query, else its backend type:
-- a pg_cron job's refresh says what it refreshes).
WITH rel AS (
    SELECT coalesce((SELECT i.indrelid FROM pg_index i WHERE i.indexrelid = to_regclass($1)), to_regclass($1)) AS oid
)
SELECT l.pid,
       upper(regexp_replace(regexp_replace(l.mode, 'Lock$', ''), '([a-z])([A-Z])', '\1 \2', 'g')) AS mode,
       coalesce(a.application_name, '') AS application_name,
       coalesce(a.state, '') AS state,
       coalesce(nullif(left(regexp_replace(a.query, '\s+', ' ', 'g'), 70), ''), a.backend_type, '') AS doing
  FROM pg_locks l
  JOIN rel ON l.relation = rel.oid
  LEFT JOIN pg_stat_activity a ON a.pid = l.pid
 WHERE l.locktype = 'relation' AND l.granted AND l.pid <> pg_backend_pid()
 ORDER BY l.pid
 LIMIT 3
