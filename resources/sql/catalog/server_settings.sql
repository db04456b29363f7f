-- Settings that differ from their built-in defaults (recorded with every session).
SELECT name, setting, coalesce(unit, '') AS unit, source
FROM pg_settings
WHERE source NOT IN ('default', 'override', 'client')
ORDER BY name
