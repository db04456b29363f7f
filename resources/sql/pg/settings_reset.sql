-- Puts the settings named in $1 back to the value the session started with (pg/sessionsettings.h, resetSettings).
SELECT set_config(name, reset_val, false)
FROM pg_catalog.pg_settings
WHERE name = ANY ($1::text[])
