-- Removes the demo's tables (and whatever strategies built on them) before a rebuild. The demo generator runs
-- this only on a database that holds PlanSight's demo (plansight_demo_info) or no gallery table at all.
DROP TABLE IF EXISTS plansight_demo_request, plansight_demo_info, content_tags, tag_ratings, tag_parents,
    tags, content_items_auto, content_items, users
    CASCADE;
