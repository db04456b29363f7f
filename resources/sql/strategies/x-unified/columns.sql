-- x-unified(-fixed): the source column on each content table, with the shipped values as defaults: 'items' for
-- regular items, 'auto' for generated ones. A constant default adds the column without rewriting the table.
ALTER TABLE public.content_items ADD COLUMN PS_PREFIX_source_type text NOT NULL DEFAULT 'items';
ALTER TABLE public.content_items_auto ADD COLUMN PS_PREFIX_source_type text NOT NULL DEFAULT 'auto';
