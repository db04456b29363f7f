-- The extension $1 in this database: installed version (NULL when not installed), whether the server could install
-- it, the version CREATE EXTENSION would install, and whether the installed extension carries PlanSight's mark ($2,
-- the start of its comment: PlanSight created it).
SELECT (SELECT extversion FROM pg_extension WHERE extname = $1) AS installed,
       EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = $1) AS available,
       (SELECT default_version FROM pg_available_extensions WHERE name = $1) AS available_version,
       coalesce((SELECT starts_with(coalesce(obj_description(e.oid, 'pg_extension'), ''), $2)
                   FROM pg_extension e WHERE e.extname = $1), false) AS ours
