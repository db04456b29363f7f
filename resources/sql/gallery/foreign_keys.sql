-- The foreign keys of the base schema, checked against the loaded data. One statement each: the demo generator
-- runs them on several connections at once (the junction's check is the long one).
ALTER TABLE content_tags ADD CONSTRAINT content_tags_tag_id_fkey FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE;
ALTER TABLE content_items_auto ADD CONSTRAINT content_items_auto_creator_id_fkey FOREIGN KEY (creator_id) REFERENCES users (id);
ALTER TABLE content_items ADD CONSTRAINT content_items_creator_id_fkey FOREIGN KEY (creator_id) REFERENCES users (id);
ALTER TABLE tag_parents ADD CONSTRAINT tag_parents_tag_id_fkey FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE;
ALTER TABLE tag_parents ADD CONSTRAINT tag_parents_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES tags (id) ON DELETE CASCADE;
ALTER TABLE tag_ratings ADD CONSTRAINT tag_ratings_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id);
ALTER TABLE tag_ratings ADD CONSTRAINT tag_ratings_tag_id_fkey FOREIGN KEY (tag_id) REFERENCES tags (id);
