-- x-unified(-fixed): the source column on each content table, its value as the default: for regular items 'items'
-- as shipped, 'regular' (the junction's value) in x-unified-fixed (PS_REGULAR); 'auto' for generated ones. A
-- constant default adds the column without rewriting the table.
ALTER TABLE public.content_items ADD COLUMN PS_PREFIX_source_type text NOT NULL DEFAULT 'PS_REGULAR';
ALTER TABLE public.content_items_auto ADD COLUMN PS_PREFIX_source_type text NOT NULL DEFAULT 'auto';
