-- p3-tag-array: keep the arrays equal to content_tags. Statement-level triggers with transition tables:
-- inserting an item's 75 tags in one statement recomputes that item's array once, not 75 times.

-- Recomputes the arrays of the given items of one source from content_tags.
CREATE OR REPLACE FUNCTION public.ps_p3_tag_array_refresh(p_source text, p_ids integer[]) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
    IF p_source = 'regular' THEN
        UPDATE public.content_items c
           SET ps_p3_tag_array_tag_ids = coalesce((SELECT array_agg(ct.tag_id ORDER BY ct.tag_id)
                                                     FROM public.content_tags ct
                                                    WHERE ct.content_id = c.id AND ct.content_source = 'regular'), '{}')
         WHERE c.id = ANY (p_ids);
    ELSIF p_source = 'auto' THEN
        UPDATE public.content_items_auto c
           SET ps_p3_tag_array_tag_ids = coalesce((SELECT array_agg(ct.tag_id ORDER BY ct.tag_id)
                                                     FROM public.content_tags ct
                                                    WHERE ct.content_id = c.id AND ct.content_source = 'auto'), '{}')
         WHERE c.id = ANY (p_ids);
    END IF;
END
$fn$;

-- content_tags INSERT / DELETE / UPDATE / TRUNCATE.
CREATE OR REPLACE FUNCTION public.ps_p3_tag_array_sync() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    r record;
BEGIN
    IF TG_OP = 'INSERT' THEN
        FOR r IN SELECT content_source, array_agg(DISTINCT content_id) AS ids FROM ps_new GROUP BY content_source LOOP
            PERFORM public.ps_p3_tag_array_refresh(r.content_source, r.ids);
        END LOOP;
    ELSIF TG_OP = 'DELETE' THEN
        FOR r IN SELECT content_source, array_agg(DISTINCT content_id) AS ids FROM ps_old GROUP BY content_source LOOP
            PERFORM public.ps_p3_tag_array_refresh(r.content_source, r.ids);
        END LOOP;
    ELSIF TG_OP = 'UPDATE' THEN
        FOR r IN SELECT content_source, array_agg(DISTINCT content_id) AS ids
                   FROM (SELECT content_source, content_id FROM ps_old
                         UNION SELECT content_source, content_id FROM ps_new) changed
                  GROUP BY content_source LOOP
            PERFORM public.ps_p3_tag_array_refresh(r.content_source, r.ids);
        END LOOP;
    ELSIF TG_OP = 'TRUNCATE' THEN
        UPDATE public.content_items SET ps_p3_tag_array_tag_ids = '{}' WHERE ps_p3_tag_array_tag_ids <> '{}';
        UPDATE public.content_items_auto SET ps_p3_tag_array_tag_ids = '{}' WHERE ps_p3_tag_array_tag_ids <> '{}';
    END IF;
    RETURN NULL;
END
$fn$;

-- A new item picks up tags that were written before it (the usual order is item first, then tags).
CREATE OR REPLACE FUNCTION public.ps_p3_tag_array_item() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    NEW.ps_p3_tag_array_tag_ids := coalesce((SELECT array_agg(ct.tag_id ORDER BY ct.tag_id)
                                               FROM public.content_tags ct
                                              WHERE ct.content_id = NEW.id AND ct.content_source = TG_ARGV[0]), '{}');
    RETURN NEW;
END
$fn$;

DROP TRIGGER IF EXISTS ps_p3_tag_array_ins ON public.content_tags;
CREATE TRIGGER ps_p3_tag_array_ins AFTER INSERT ON public.content_tags
    REFERENCING NEW TABLE AS ps_new FOR EACH STATEMENT EXECUTE FUNCTION public.ps_p3_tag_array_sync();
DROP TRIGGER IF EXISTS ps_p3_tag_array_del ON public.content_tags;
CREATE TRIGGER ps_p3_tag_array_del AFTER DELETE ON public.content_tags
    REFERENCING OLD TABLE AS ps_old FOR EACH STATEMENT EXECUTE FUNCTION public.ps_p3_tag_array_sync();
DROP TRIGGER IF EXISTS ps_p3_tag_array_upd ON public.content_tags;
CREATE TRIGGER ps_p3_tag_array_upd AFTER UPDATE ON public.content_tags
    REFERENCING OLD TABLE AS ps_old NEW TABLE AS ps_new FOR EACH STATEMENT EXECUTE FUNCTION public.ps_p3_tag_array_sync();
DROP TRIGGER IF EXISTS ps_p3_tag_array_trunc ON public.content_tags;
CREATE TRIGGER ps_p3_tag_array_trunc AFTER TRUNCATE ON public.content_tags
    FOR EACH STATEMENT EXECUTE FUNCTION public.ps_p3_tag_array_sync();
DROP TRIGGER IF EXISTS ps_p3_tag_array_item ON public.content_items;
CREATE TRIGGER ps_p3_tag_array_item BEFORE INSERT ON public.content_items
    FOR EACH ROW EXECUTE FUNCTION public.ps_p3_tag_array_item('regular');
DROP TRIGGER IF EXISTS ps_p3_tag_array_item ON public.content_items_auto;
CREATE TRIGGER ps_p3_tag_array_item BEFORE INSERT ON public.content_items_auto
    FOR EACH ROW EXECUTE FUNCTION public.ps_p3_tag_array_item('auto');
