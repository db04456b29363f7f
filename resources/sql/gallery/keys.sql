-- Primary keys and unique constraints over the indexes of gallery/indexes.sql (instant: no second scan), and
-- the id sequences moved past the loaded ids (gallery/sequences.sql) so that the app's inserts keep working.
ALTER TABLE users
    ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey,
    ADD CONSTRAINT users_username_key UNIQUE USING INDEX users_username_key,
    ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;
ALTER TABLE tags
    ADD CONSTRAINT tags_pkey PRIMARY KEY USING INDEX tags_pkey,
    ADD CONSTRAINT tags_name_key UNIQUE USING INDEX tags_name_key;
ALTER TABLE tag_parents ADD CONSTRAINT tag_parents_pkey PRIMARY KEY USING INDEX tag_parents_pkey;
ALTER TABLE tag_ratings
    ADD CONSTRAINT tag_ratings_pkey PRIMARY KEY USING INDEX tag_ratings_pkey,
    ADD CONSTRAINT tag_ratings_user_id_tag_id_key UNIQUE USING INDEX tag_ratings_user_id_tag_id_key;
ALTER TABLE content_items ADD CONSTRAINT content_items_pkey PRIMARY KEY USING INDEX content_items_pkey;
ALTER TABLE content_items_auto ADD CONSTRAINT content_items_auto_pkey PRIMARY KEY USING INDEX content_items_auto_pkey;
ALTER TABLE content_tags ADD CONSTRAINT content_tags_pkey PRIMARY KEY USING INDEX content_tags_pkey;
