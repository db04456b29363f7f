-- PlanSight's p4-indexes on the junction (resources/sql/strategies/p4-indexes), under names of the experiment's own:
-- the composite index, one partial index per content source, then fresh statistics.
CREATE INDEX gallery_ex_tag_source_content ON public.content_tags (tag_id, content_source, content_id);
CREATE INDEX gallery_ex_regular ON public.content_tags (tag_id, content_id) WHERE content_source = 'regular';
CREATE INDEX gallery_ex_auto ON public.content_tags (tag_id, content_id) WHERE content_source = 'auto';
ANALYZE public.content_tags;
