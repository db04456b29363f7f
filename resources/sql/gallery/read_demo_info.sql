-- The demo's metadata row; no row when the build did not complete.
SELECT profile, scale, seed, generator_version, users, tags, content_items, content_items_auto, content_tags,
    build_seconds, fingerprint, to_char(built_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS built_at,
    details::text AS details
FROM plansight_demo_info
ORDER BY built_at DESC
LIMIT 1
