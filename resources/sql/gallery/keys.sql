-- Primary keys and unique constraints over the indexes of gallery/indexes.sql (instant: no second scan), and
-- the id sequences moved past the loaded ids so that the app's inserts keep working.
ALTER TABLE users
    ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey,
    ADD CONSTRAINT users_username_key UNIQUE USING INDEX users_username_key,
    ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;
ALTER TABLE tags
    ADD CONSTRAINT tags_pkey PRIMARY KEY USING INDEX tags_pkey,
    ADD CONSTRAINT tags_name_key UNIQUE USING INDEX tags_name_key;
ALTER TABLE tag_parents ADD CONSTRAINT tag_parents_pkey PRIMARY KEY USING INDEX tag_parents_pkey;
ALTER TABLE content_items ADD CONSTRAINT content_items_pkey PRIMARY KEY USING INDEX content_items_pkey;
ALTER TABLE content_items_auto ADD CONSTRAINT content_items_auto_pkey PRIMARY KEY USING INDEX content_items_auto_pkey;
ALTER TABLE content_tags ADD CONSTRAINT content_tags_pkey PRIMARY KEY USING INDEX content_tags_pkey;
SELECT setval(pg_get_serial_sequence('content_items', 'id'), coalesce(max(id), 0) + 1, false) FROM content_items;
SELECT setval(pg_get_serial_sequence('content_items_auto', 'id'), coalesce(max(id), 0) + 1, false)
FROM content_items_auto;
