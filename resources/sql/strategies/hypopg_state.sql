-- HypoPG in this database: installed version (NULL when not installed), whether the server could install
-- it, whether the installed version can hide indexes (hypopg_hide_index appeared in 1.4.0), the version
-- CREATE EXTENSION would install, and whether the installed extension carries PlanSight's mark (it created it).
SELECT (SELECT extversion FROM pg_extension WHERE extname = 'hypopg') AS installed,
       EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'hypopg') AS available,
       EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'hypopg_hide_index') AS can_hide,
       (SELECT default_version FROM pg_available_extensions WHERE name = 'hypopg') AS available_version,
       coalesce((SELECT starts_with(coalesce(obj_description(e.oid, 'pg_extension'), ''), 'created by PlanSight')
                   FROM pg_extension e WHERE e.extname = 'hypopg'), false) AS ours
