-- The columns of table $1 (a name resolved with the search path), in order: what plansight demo load matches an
-- export's header against (gallery/exportloader.h). No rows when the table does not exist.
SELECT a.attname::text
FROM pg_attribute a
WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
