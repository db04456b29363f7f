-- plansight demo load (gallery/exportloader.h): empties every table the demo models, in the load's transaction,
-- before the exports are copied in. No CASCADE: a table of someone else's that references these makes it fail
-- rather than lose its rows.
TRUNCATE users, tags, tag_parents, tag_ratings, content_items, content_items_auto, content_tags
