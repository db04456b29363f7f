-- Every index of the base schema and the other indexes the app's database had that day (docs/gallery.md,
-- "Schema"), built after the data. One statement each: the demo
-- generator builds them on several connections at once, in this order (largest first). The unique indexes
-- named *_pkey and *_key become the primary keys and unique constraints in gallery/keys.sql.
CREATE UNIQUE INDEX content_tags_pkey ON content_tags (content_id, content_source, tag_id);
CREATE INDEX idx_content_tags_tag_content ON content_tags (tag_id, content_id);
CREATE INDEX idx_content_tags_content ON content_tags (content_id, content_source);
CREATE INDEX cia_title_fts_idx ON content_items_auto USING gin (to_tsvector('english', coalesce(title, '')));
CREATE INDEX idx_content_items_auto_metadata_gin ON content_items_auto USING gin (item_metadata);
CREATE INDEX idx_content_items_auto_title_gist ON content_items_auto USING gist (title gist_trgm_ops);
CREATE UNIQUE INDEX content_items_auto_pkey ON content_items_auto (id);
CREATE INDEX ix_content_items_auto_content_type ON content_items_auto (content_type);
CREATE INDEX ix_content_items_auto_creator_id ON content_items_auto (creator_id);
CREATE INDEX idx_content_items_auto_creator_created ON content_items_auto (creator_id, created_at DESC);
CREATE INDEX idx_content_items_auto_quality_created ON content_items_auto (quality_score DESC, created_at DESC);
CREATE INDEX idx_content_items_auto_public_created ON content_items_auto (created_at DESC) WHERE NOT is_private;
CREATE INDEX idx_content_items_auto_created_at_desc ON content_items_auto (created_at DESC);
CREATE INDEX idx_content_items_auto_type_created ON content_items_auto (content_type, created_at DESC);
CREATE INDEX ci_title_fts_idx ON content_items USING gin (to_tsvector('english', coalesce(title, '')));
CREATE INDEX idx_content_items_metadata_gin ON content_items USING gin (item_metadata);
CREATE INDEX idx_content_items_title_gist ON content_items USING gist (title gist_trgm_ops);
CREATE UNIQUE INDEX content_items_pkey ON content_items (id);
CREATE INDEX ix_content_items_content_type ON content_items (content_type);
CREATE INDEX ix_content_items_creator_id ON content_items (creator_id);
CREATE INDEX idx_content_items_creator_created ON content_items (creator_id, created_at DESC);
CREATE INDEX idx_content_items_quality_created ON content_items (quality_score DESC, created_at DESC);
CREATE INDEX idx_content_items_public_created ON content_items (created_at DESC) WHERE NOT is_private;
CREATE INDEX idx_content_items_created_at_desc ON content_items (created_at DESC);
CREATE INDEX idx_content_items_type_created ON content_items (content_type, created_at DESC);
CREATE UNIQUE INDEX users_pkey ON users (id);
CREATE UNIQUE INDEX users_username_key ON users (username);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE UNIQUE INDEX tags_pkey ON tags (id);
CREATE UNIQUE INDEX tags_name_key ON tags (name);
CREATE UNIQUE INDEX tag_parents_pkey ON tag_parents (tag_id, parent_id);
CREATE UNIQUE INDEX ix_users_username ON users (username);
CREATE UNIQUE INDEX ix_users_email ON users (email);
CREATE INDEX idx_users_created_at_desc ON users (created_at DESC);
CREATE INDEX idx_users_active_created ON users (is_active, created_at DESC);
CREATE INDEX idx_users_username_lower ON users (lower(username));
CREATE INDEX idx_users_email_lower ON users (lower(email));
CREATE INDEX idx_users_favorite_tags_gin ON users USING gin (favorite_tag_ids);
CREATE UNIQUE INDEX ix_tags_name ON tags (name);
CREATE INDEX idx_tags_name ON tags (name);
CREATE INDEX idx_tags_created_at_desc ON tags (created_at DESC);
CREATE INDEX idx_tag_parents_tag ON tag_parents (tag_id);
CREATE INDEX idx_tag_parents_parent ON tag_parents (parent_id);
CREATE UNIQUE INDEX tag_ratings_pkey ON tag_ratings (id);
CREATE UNIQUE INDEX tag_ratings_user_id_tag_id_key ON tag_ratings (user_id, tag_id);
