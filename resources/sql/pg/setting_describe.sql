-- One setting of this server (pg/sessionsettings.h, checkSettingOverrides): whether it exists and whether a session
-- may change it (context user or superuser). No row: the server does not know the name.
SELECT name, context
FROM pg_catalog.pg_settings
WHERE name = lower($1)
