-- p9-partition and p9-partition-hash (PS_PREFIX is the strategy's prefix): keep the partitioned copy equal to
-- content_tags. Statement-level triggers with transition tables; the copy's (content_id, tag_id) index of each
-- partition serves the deletes.
CREATE OR REPLACE FUNCTION public.PS_PREFIX_sync() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    -- Each statement names only the transition tables its event has (plpgsql plans a statement when it first
    -- runs, so a branch that does not run never looks for a table its trigger lacks).
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM public.PS_PREFIX_content_tags x
         USING ps_old o
         WHERE x.content_id = o.content_id AND x.content_source = o.content_source AND x.tag_id = o.tag_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO public.PS_PREFIX_content_tags (content_id, content_source, tag_id)
        SELECT n.content_id, n.content_source, n.tag_id FROM ps_new n;
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE public.PS_PREFIX_content_tags;
    END IF;
    RETURN NULL;
END
$fn$;

DROP TRIGGER IF EXISTS PS_PREFIX_ins ON public.content_tags;
CREATE TRIGGER PS_PREFIX_ins AFTER INSERT ON public.content_tags
    REFERENCING NEW TABLE AS ps_new FOR EACH STATEMENT EXECUTE FUNCTION public.PS_PREFIX_sync();
DROP TRIGGER IF EXISTS PS_PREFIX_del ON public.content_tags;
CREATE TRIGGER PS_PREFIX_del AFTER DELETE ON public.content_tags
    REFERENCING OLD TABLE AS ps_old FOR EACH STATEMENT EXECUTE FUNCTION public.PS_PREFIX_sync();
DROP TRIGGER IF EXISTS PS_PREFIX_upd ON public.content_tags;
CREATE TRIGGER PS_PREFIX_upd AFTER UPDATE ON public.content_tags
    REFERENCING OLD TABLE AS ps_old NEW TABLE AS ps_new FOR EACH STATEMENT EXECUTE FUNCTION public.PS_PREFIX_sync();
DROP TRIGGER IF EXISTS PS_PREFIX_trunc ON public.content_tags;
CREATE TRIGGER PS_PREFIX_trunc AFTER TRUNCATE ON public.content_tags
    FOR EACH STATEMENT EXECUTE FUNCTION public.PS_PREFIX_sync();
