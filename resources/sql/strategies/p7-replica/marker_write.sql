-- p7-replica: a new token in the marker row ($1), on the primary; the row is created again when it went missing.
WITH updated AS (
    UPDATE public.ps_p7_replica_marker SET token = $1::bigint, written_at = clock_timestamp() RETURNING 1
)
INSERT INTO public.ps_p7_replica_marker (token)
SELECT $1::bigint WHERE NOT EXISTS (SELECT 1 FROM updated);
