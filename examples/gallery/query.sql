-- The gallery page as the app runs it (PlanSight's baseline strategy, docs/gallery.md): $1 the user, $2 the tags,
-- $3 the page size, $4 the offset.
SELECT * FROM (
  SELECT ci.id, ci.title, ci.content_type, ci.content_data, ci.path_thumb, ci.path_thumbs_alt_res, ci.prompt, ci.creator_id, u.username AS creator_username, ci.item_metadata, ci.is_private, ci.quality_score, ci.created_at, ci.updated_at, 'regular'::text AS source
    FROM public.content_items ci JOIN public.users u ON u.id = ci.creator_id
    WHERE ci.creator_id = $1::uuid
      AND EXISTS (SELECT 1 FROM public.content_tags ct WHERE ct.content_id = ci.id AND ct.content_source = 'regular' AND ct.tag_id = ANY($2::uuid[]))
  UNION ALL
  SELECT ci.id, ci.title, ci.content_type, ci.content_data, ci.path_thumb, ci.path_thumbs_alt_res, ci.prompt, ci.creator_id, u.username AS creator_username, ci.item_metadata, ci.is_private, ci.quality_score, ci.created_at, ci.updated_at, 'auto'::text AS source
    FROM public.content_items_auto ci JOIN public.users u ON u.id = ci.creator_id
    WHERE ci.creator_id = $1::uuid
      AND EXISTS (SELECT 1 FROM public.content_tags ct WHERE ct.content_id = ci.id AND ct.content_source = 'auto' AND ct.tag_id = ANY($2::uuid[]))
  UNION ALL
  SELECT ci.id, ci.title, ci.content_type, ci.content_data, ci.path_thumb, ci.path_thumbs_alt_res, ci.prompt, ci.creator_id, u.username AS creator_username, ci.item_metadata, ci.is_private, ci.quality_score, ci.created_at, ci.updated_at, 'regular'::text AS source
    FROM public.content_items ci JOIN public.users u ON u.id = ci.creator_id
    WHERE ci.creator_id <> $1::uuid
      AND EXISTS (SELECT 1 FROM public.content_tags ct WHERE ct.content_id = ci.id AND ct.content_source = 'regular' AND ct.tag_id = ANY($2::uuid[]))
  UNION ALL
  SELECT ci.id, ci.title, ci.content_type, ci.content_data, ci.path_thumb, ci.path_thumbs_alt_res, ci.prompt, ci.creator_id, u.username AS creator_username, ci.item_metadata, ci.is_private, ci.quality_score, ci.created_at, ci.updated_at, 'auto'::text AS source
    FROM public.content_items_auto ci JOIN public.users u ON u.id = ci.creator_id
    WHERE ci.creator_id <> $1::uuid
      AND EXISTS (SELECT 1 FROM public.content_tags ct WHERE ct.content_id = ci.id AND ct.content_source = 'auto' AND ct.tag_id = ANY($2::uuid[]))
) AS gallery
ORDER BY created_at DESC, id DESC, source DESC
LIMIT $3::bigint OFFSET $4::bigint;
