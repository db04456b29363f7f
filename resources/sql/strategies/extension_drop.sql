-- Drops the extension PS_EXTENSION when PlanSight created it (its comment starts with PlanSight's mark).
DO $ps$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension e WHERE e.extname = 'PS_EXTENSION'
                AND starts_with(coalesce(obj_description(e.oid, 'pg_extension'), ''), 'PS_MARK')) THEN
        DROP EXTENSION PS_EXTENSION;
    END IF;
END
$ps$
