-- What-if (strategies/whatif.h): the bytes the indexes of $1 (schema-qualified names) take now, summed over those that
-- exist; NULL when none does.
SELECT sum(pg_relation_size(to_regclass(n)))::bigint
  FROM unnest($1::text[]) AS n
 WHERE to_regclass(n) IS NOT NULL
