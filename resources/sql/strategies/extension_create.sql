-- Creates the extension PS_EXTENSION when it is not installed, with PlanSight's mark (strategies/extensions.h); an
-- extension that was there before is left as it is, with its own comment, and PlanSight never drops it.
DO $ps$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'PS_EXTENSION') THEN
        CREATE EXTENSION PS_EXTENSION;
        COMMENT ON EXTENSION PS_EXTENSION IS 'PS_MARK';
    END IF;
END
$ps$
