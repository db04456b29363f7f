-- p10-search: the documents of the items of one table (PS_TABLE, whose source is PS_SOURCE: constants of the code,
-- never input), in id order after $1, $2 at a time: what the bulk load sends to the search index. Only items whose
-- creator is a user, as the gallery query's join to users keeps them.
SELECT ci.id, ci.creator_id::text AS creator_id,
       (extract(epoch FROM ci.created_at) * 1000000)::bigint AS created_us, ci.quality_score,
       coalesce((SELECT array_agg(ct.tag_id::text) FROM public.content_tags ct
                  WHERE ct.content_id = ci.id AND ct.content_source = PS_SOURCE), '{}') AS tag_ids
  FROM public.PS_TABLE ci JOIN public.users u ON u.id = ci.creator_id
 WHERE ci.id > $1::integer
 ORDER BY ci.id
 LIMIT $2::integer;
