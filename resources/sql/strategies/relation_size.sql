-- Bytes of one relation ($1: schema-qualified name; $2: true for a table with its indexes and TOAST,
-- false for the relation alone). NULL when it does not exist.
SELECT CASE WHEN $2::boolean THEN pg_total_relation_size(to_regclass($1)) ELSE pg_relation_size(to_regclass($1)) END
