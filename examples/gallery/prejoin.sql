-- PlanSight's p5-prejoin: the matching junction rows first, then the items (same parameters as query.sql).
WITH matched AS (
  SELECT ct.content_id, ct.content_source FROM public.content_tags ct
   WHERE ct.tag_id = ANY($2::uuid[])
   GROUP BY ct.content_id, ct.content_source
)
SELECT * FROM (
  SELECT ci.id, ci.title, ci.content_type, ci.content_data, ci.path_thumb, ci.path_thumbs_alt_res, ci.prompt, ci.creator_id, u.username AS creator_username, ci.item_metadata, ci.is_private, ci.quality_score, ci.created_at, ci.updated_at, 'regular'::text AS source
    FROM public.content_items ci JOIN public.users u ON u.id = ci.creator_id
    WHERE ci.creator_id = $1::uuid
      AND ci.id IN (SELECT m.content_id FROM matched m WHERE m.content_source = 'regular')
  UNION ALL
  SELECT ci.id, ci.title, ci.content_type, ci.content_data, ci.path_thumb, ci.path_thumbs_alt_res, ci.prompt, ci.creator_id, u.username AS creator_username, ci.item_metadata, ci.is_private, ci.quality_score, ci.created_at, ci.updated_at, 'auto'::text AS source
    FROM public.content_items_auto ci JOIN public.users u ON u.id = ci.creator_id
    WHERE ci.creator_id = $1::uuid
      AND ci.id IN (SELECT m.content_id FROM matched m WHERE m.content_source = 'auto')
  UNION ALL
  SELECT ci.id, ci.title, ci.content_type, ci.content_data, ci.path_thumb, ci.path_thumbs_alt_res, ci.prompt, ci.creator_id, u.username AS creator_username, ci.item_metadata, ci.is_private, ci.quality_score, ci.created_at, ci.updated_at, 'regular'::text AS source
    FROM public.content_items ci JOIN public.users u ON u.id = ci.creator_id
    WHERE ci.creator_id <> $1::uuid
      AND ci.id IN (SELECT m.content_id FROM matched m WHERE m.content_source = 'regular')
  UNION ALL
  SELECT ci.id, ci.title, ci.content_type, ci.content_data, ci.path_thumb, ci.path_thumbs_alt_res, ci.prompt, ci.creator_id, u.username AS creator_username, ci.item_metadata, ci.is_private, ci.quality_score, ci.created_at, ci.updated_at, 'auto'::text AS source
    FROM public.content_items_auto ci JOIN public.users u ON u.id = ci.creator_id
    WHERE ci.creator_id <> $1::uuid
      AND ci.id IN (SELECT m.content_id FROM matched m WHERE m.content_source = 'auto')
) AS gallery
ORDER BY created_at DESC, id DESC, source DESC
LIMIT $3::bigint OFFSET $4::bigint;
