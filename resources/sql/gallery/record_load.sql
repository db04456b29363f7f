-- plansight demo load (gallery/exportloader.h) records that the demo's rows are now the exports': the counts, a
-- "load-" fingerprint of the stored rows, and details.loaded / details.counts ($7, merged into details).
UPDATE plansight_demo_info
SET users = $1, tags = $2, content_items = $3, content_items_auto = $4, content_tags = $5, fingerprint = $6,
    details = details || $7::jsonb
