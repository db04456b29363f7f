-- The users the workload editor offers: $1 (the preselected user, the admin on the demo) first, then by name.
SELECT id::text AS id, username
FROM users
ORDER BY (id = $1::uuid) DESC, username
LIMIT 5000
