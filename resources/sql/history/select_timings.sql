SELECT t.run_id, t.ms
FROM timings t
JOIN runs r ON r.id = t.run_id
WHERE r.session_id = :session_id
ORDER BY t.run_id, t.idx
