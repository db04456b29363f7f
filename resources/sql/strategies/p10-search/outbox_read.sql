-- p10-search: the oldest changes of the outbox, $1 at a time, with the age of the oldest in ms.
SELECT seq, content_source, content_id,
       (extract(epoch FROM clock_timestamp() - written_at) * 1000)::float8 AS age_ms
  FROM public.ps_p10_search_outbox
 ORDER BY seq
 LIMIT $1::integer;
