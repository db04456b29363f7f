-- Write cost: one probe item in content_items, with an explicit id past the largest (so the id sequence is
-- not advanced); $1 is its creator. Runs inside a transaction that is rolled back.
INSERT INTO public.content_items (id, title, content_type, content_data, creator_id, created_at, updated_at,
                                  quality_score, is_private, prompt)
SELECT coalesce(max(id), 0) + 1, 'PlanSight write-cost probe', 'image', '/plansight/write-cost-probe.png', $1::uuid,
       localtimestamp, localtimestamp, 0.5, false, 'todo'
  FROM public.content_items
RETURNING id
