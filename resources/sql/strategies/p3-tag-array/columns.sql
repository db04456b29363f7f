-- p3-tag-array: the denormalized tag list of each item, named after the strategy so that revert can never
-- touch a column of the application's own (the review calls it tag_ids).
ALTER TABLE public.content_items ADD COLUMN IF NOT EXISTS ps_p3_tag_array_tag_ids uuid[] NOT NULL DEFAULT '{}';
ALTER TABLE public.content_items_auto ADD COLUMN IF NOT EXISTS ps_p3_tag_array_tag_ids uuid[] NOT NULL DEFAULT '{}';
