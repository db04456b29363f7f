-- x-rum: an item's row by its identity, for the sync triggers (and their ON CONFLICT).
CREATE UNIQUE INDEX IF NOT EXISTS ps_x_rum_item_key ON public.ps_x_rum_items (content_id, content_source);
