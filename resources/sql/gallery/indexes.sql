-- Every index of the base schema (docs/gallery.md), built after the data. One statement each: the demo
-- generator builds them on several connections at once, in this order (largest first). The unique indexes
-- named *_pkey and *_key become the primary keys and unique constraints in gallery/keys.sql.
CREATE UNIQUE INDEX content_tags_pkey ON content_tags (content_id, content_source, tag_id);
CREATE INDEX idx_content_tags_tag_content ON content_tags (tag_id, content_id);
CREATE INDEX idx_content_tags_content ON content_tags (content_id, content_source);
CREATE INDEX cia_title_fts_idx ON content_items_auto USING gin (to_tsvector('english', coalesce(title, '')));
CREATE INDEX idx_content_items_auto_metadata_gin ON content_items_auto USING gin (item_metadata);
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
