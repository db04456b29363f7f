-- Whether the server accepts a value for a setting (pg/sessionsettings.h, checkSettingOverrides): set for the
-- current transaction only, which the caller rolls back.
SELECT set_config($1, $2, true)
