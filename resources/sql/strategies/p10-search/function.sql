-- p10-search: change capture. Statement-level triggers with transition tables write one outbox row per changed item
-- (TG_ARGV[0]: the item table's source, 'regular' or 'auto', or 'tags' for content_tags).
CREATE OR REPLACE FUNCTION public.ps_p10_search_capture() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    src text := TG_ARGV[0];
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO public.ps_p10_search_outbox (content_source, content_id) VALUES ('*', 0);
        RETURN NULL;
    END IF;
    -- Each statement names only the transition tables its event has (plpgsql plans a statement when it first
    -- runs, so a branch that does not run never looks for a table its trigger lacks).
    IF src = 'tags' THEN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            INSERT INTO public.ps_p10_search_outbox (content_source, content_id)
            SELECT DISTINCT o.content_source, o.content_id FROM ps_old o;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO public.ps_p10_search_outbox (content_source, content_id)
            SELECT DISTINCT n.content_source, n.content_id FROM ps_new n;
        END IF;
    ELSE
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            INSERT INTO public.ps_p10_search_outbox (content_source, content_id) SELECT src, o.id FROM ps_old o;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO public.ps_p10_search_outbox (content_source, content_id) SELECT src, n.id FROM ps_new n;
        END IF;
    END IF;
    RETURN NULL;
END
$fn$;
