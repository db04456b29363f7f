-- p10-search's sync lag probe: a change of one existing item ($1 source, $2 id) written to the outbox as the capture
-- triggers would; returns its sequence number.
INSERT INTO public.ps_p10_search_outbox (content_source, content_id) VALUES ($1::text, $2::integer) RETURNING seq;
