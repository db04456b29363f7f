-- p10-search: the changes $1 (sequence numbers the indexer read) are in the search index. Exactly those: a change
-- with a lower number that committed after the read is still to come.
DELETE FROM public.ps_p10_search_outbox WHERE seq = ANY ($1::bigint[]);
