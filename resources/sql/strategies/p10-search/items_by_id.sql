-- p10-search: the documents of the changed items $1 of one table (PS_TABLE, source PS_SOURCE: constants of the
-- code); an id the query does not return is an item that is gone (its document is deleted).
SELECT ci.id, ci.creator_id::text AS creator_id,
       (extract(epoch FROM ci.created_at) * 1000000)::bigint AS created_us, ci.quality_score,
       coalesce((SELECT array_agg(ct.tag_id::text) FROM public.content_tags ct
                  WHERE ct.content_id = ci.id AND ct.content_source = PS_SOURCE), '{}') AS tag_ids
  FROM public.PS_TABLE ci JOIN public.users u ON u.id = ci.creator_id
 WHERE ci.id = ANY ($1::integer[]);
