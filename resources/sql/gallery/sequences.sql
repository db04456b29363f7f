-- The id sequences of the tables with identity ids, moved past the ids they hold so that the app's inserts keep
-- working: after the demo's data is generated (with gallery/keys.sql) and after plansight demo load.
SELECT setval(pg_get_serial_sequence('content_items', 'id'), coalesce(max(id), 0) + 1, false) FROM content_items;
SELECT setval(pg_get_serial_sequence('content_items_auto', 'id'), coalesce(max(id), 0) + 1, false)
FROM content_items_auto;
SELECT setval(pg_get_serial_sequence('tag_ratings', 'id'), coalesce(max(id), 0) + 1, false) FROM tag_ratings;
