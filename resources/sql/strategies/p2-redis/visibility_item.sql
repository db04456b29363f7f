-- p2-redis write-to-visible: one item created after every other item of both content tables (so it heads a
-- newest-first page), with an explicit id past the largest (the id sequence is not advanced); $1 is its creator.
-- Committed, so the triggers' NOTIFY fires; deleted again with strategies/probe_delete_tags and probe_delete_item.
INSERT INTO public.content_items (id, title, content_type, content_data, creator_id, created_at, updated_at,
                                  quality_score, is_private, prompt)
SELECT coalesce(max(id), 0) + 1, 'PlanSight write-to-visible probe', 'image', '/plansight/visibility-probe.png',
       $1::uuid,
       greatest(localtimestamp, max(created_at) + interval '1 second',
                (SELECT max(created_at) FROM public.content_items_auto) + interval '1 second'),
       localtimestamp, 0.5, false, 'todo'
  FROM public.content_items
RETURNING id
