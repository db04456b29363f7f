-- x-rum: the RUM index. Each tag of an item's array is a key whose posting list stores sort_at beside every item
-- (attach ... to), so that ORDER BY sort_at <=| anchor (newest first) or sort_at |=> anchor (oldest first) is served
-- by the index scan that finds the tag matches (&& for any, @> for all), without reading the heap to sort.
CREATE INDEX IF NOT EXISTS ps_x_rum_tags_sort ON public.ps_x_rum_items
    USING rum (tag_ids rum_anyarray_addon_ops, sort_at) WITH (attach = 'sort_at', to = 'tag_ids');
