-- Statistics for the planner after plansight demo load replaced the demo's rows.
ANALYZE users, tags, tag_parents, tag_ratings, content_items, content_items_auto, content_tags
