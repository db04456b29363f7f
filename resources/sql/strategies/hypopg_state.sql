-- HypoPG in this database: installed version (NULL when not installed), whether the server could install
-- it, and whether the installed version can hide indexes (hypopg_hide_index appeared in 1.3.0).
SELECT (SELECT extversion FROM pg_extension WHERE extname = 'hypopg') AS installed,
       EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'hypopg') AS available,
       EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'hypopg_hide_index') AS can_hide
