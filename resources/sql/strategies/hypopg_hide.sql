-- Hides one index ($1: schema-qualified name) from this session's planner; false when it does not exist.
SELECT CASE WHEN to_regclass($1) IS NULL THEN false ELSE hypopg_hide_index(to_regclass($1)::oid) END
