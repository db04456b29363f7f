-- The arguments the last demo build was started with (see record_request.sql).
SELECT profile, scale, seed FROM plansight_demo_request ORDER BY started_at DESC LIMIT 1
