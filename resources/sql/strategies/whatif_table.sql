-- What-if (strategies/whatif.h): the relation a typed CREATE INDEX names after ON ($1, as typed: schema-qualified or
-- quoted), as the server names it, and its kind ('r' table, 'p' partitioned table, 'm' materialized view, ...). No row
-- when it does not exist.
SELECT c.oid::regclass::text AS name, c.relkind::text AS kind
  FROM pg_class c
 WHERE c.oid = to_regclass($1::text)
