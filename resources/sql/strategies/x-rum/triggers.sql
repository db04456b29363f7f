-- x-rum: keep the copy equal to the content tables with their tags from content_tags. Statement-level triggers with
-- transition tables: an item's 75 tags inserted in one statement recompute its array once. Every lookup goes through
-- ps_x_rum_item_key or the gallery tables' own indexes, never a scan; a row whose array does not change is not
-- written (a RUM update is costly).

-- Recomputes the arrays of the given items (p_sources[i], p_ids[i]) from content_tags.
CREATE OR REPLACE FUNCTION public.ps_x_rum_refresh(p_sources varchar[], p_ids integer[]) RETURNS void
LANGUAGE sql AS $fn$
UPDATE public.ps_x_rum_items x
   SET tag_ids = t.tag_ids
  FROM (SELECT c.content_source, c.content_id,
               coalesce((SELECT array_agg(DISTINCT ct.tag_id ORDER BY ct.tag_id)
                           FROM public.content_tags ct
                          WHERE ct.content_id = c.content_id AND ct.content_source = c.content_source), '{}') AS tag_ids
          FROM unnest(p_sources, p_ids) AS c(content_source, content_id)) t
 WHERE x.content_id = t.content_id AND x.content_source = t.content_source AND x.tag_ids IS DISTINCT FROM t.tag_ids;
$fn$;

-- content_tags INSERT / DELETE / UPDATE / TRUNCATE. Each statement names only the transition tables its event has
-- (plpgsql plans a statement when it first runs, so a branch that does not run never looks for a table its trigger
-- lacks).
CREATE OR REPLACE FUNCTION public.ps_x_rum_tags_sync() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM public.ps_x_rum_refresh(array_agg(c.content_source), array_agg(c.content_id))
           FROM (SELECT DISTINCT content_source, content_id FROM ps_new) c;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM public.ps_x_rum_refresh(array_agg(c.content_source), array_agg(c.content_id))
           FROM (SELECT DISTINCT content_source, content_id FROM ps_old) c;
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM public.ps_x_rum_refresh(array_agg(c.content_source), array_agg(c.content_id))
           FROM (SELECT content_source, content_id FROM ps_old
                 UNION SELECT content_source, content_id FROM ps_new) c;
    ELSIF TG_OP = 'TRUNCATE' THEN
        UPDATE public.ps_x_rum_items SET tag_ids = '{}' WHERE tag_ids <> '{}';
    END IF;
    RETURN NULL;
END
$fn$;

-- content_items / content_items_auto (TG_ARGV[0] is the source): an item inserted (picking up tags written before
-- it), deleted, or updated in its id, created_at or creator_id.
CREATE OR REPLACE FUNCTION public.ps_x_rum_items_sync() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    src varchar := TG_ARGV[0];
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM public.ps_x_rum_items WHERE content_source = src;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM public.ps_x_rum_items x USING ps_old o WHERE x.content_id = o.id AND x.content_source = src;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO public.ps_x_rum_items (content_source, content_id, created_at, creator_id, tag_ids)
        SELECT src, n.id, n.created_at, n.creator_id,
               coalesce((SELECT array_agg(DISTINCT ct.tag_id ORDER BY ct.tag_id) FROM public.content_tags ct
                          WHERE ct.content_id = n.id AND ct.content_source = src), '{}')
          FROM ps_new n
        ON CONFLICT (content_id, content_source) DO UPDATE
           SET created_at = EXCLUDED.created_at, creator_id = EXCLUDED.creator_id, tag_ids = EXCLUDED.tag_ids;
    ELSIF TG_OP = 'UPDATE' THEN
        -- Ids that are gone, then the rows whose id is new or whose created_at or creator changed.
        DELETE FROM public.ps_x_rum_items x
         USING (SELECT o.id FROM ps_old o EXCEPT SELECT n.id FROM ps_new n) gone
         WHERE x.content_id = gone.id AND x.content_source = src;
        INSERT INTO public.ps_x_rum_items (content_source, content_id, created_at, creator_id, tag_ids)
        SELECT src, n.id, n.created_at, n.creator_id,
               coalesce((SELECT array_agg(DISTINCT ct.tag_id ORDER BY ct.tag_id) FROM public.content_tags ct
                          WHERE ct.content_id = n.id AND ct.content_source = src), '{}')
          FROM ps_new n LEFT JOIN ps_old o ON o.id = n.id
         WHERE o.id IS NULL OR (n.created_at, n.creator_id) IS DISTINCT FROM (o.created_at, o.creator_id)
        ON CONFLICT (content_id, content_source) DO UPDATE
           SET created_at = EXCLUDED.created_at, creator_id = EXCLUDED.creator_id, tag_ids = EXCLUDED.tag_ids;
    END IF;
    RETURN NULL;
END
$fn$;

DROP TRIGGER IF EXISTS ps_x_rum_ins ON public.content_tags;
CREATE TRIGGER ps_x_rum_ins AFTER INSERT ON public.content_tags
    REFERENCING NEW TABLE AS ps_new FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_rum_tags_sync();
DROP TRIGGER IF EXISTS ps_x_rum_del ON public.content_tags;
CREATE TRIGGER ps_x_rum_del AFTER DELETE ON public.content_tags
    REFERENCING OLD TABLE AS ps_old FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_rum_tags_sync();
DROP TRIGGER IF EXISTS ps_x_rum_upd ON public.content_tags;
CREATE TRIGGER ps_x_rum_upd AFTER UPDATE ON public.content_tags
    REFERENCING OLD TABLE AS ps_old NEW TABLE AS ps_new FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_rum_tags_sync();
DROP TRIGGER IF EXISTS ps_x_rum_trunc ON public.content_tags;
CREATE TRIGGER ps_x_rum_trunc AFTER TRUNCATE ON public.content_tags
    FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_rum_tags_sync();

DROP TRIGGER IF EXISTS ps_x_rum_item_ins ON public.content_items;
CREATE TRIGGER ps_x_rum_item_ins AFTER INSERT ON public.content_items
    REFERENCING NEW TABLE AS ps_new FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_rum_items_sync('regular');
DROP TRIGGER IF EXISTS ps_x_rum_item_del ON public.content_items;
CREATE TRIGGER ps_x_rum_item_del AFTER DELETE ON public.content_items
    REFERENCING OLD TABLE AS ps_old FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_rum_items_sync('regular');
DROP TRIGGER IF EXISTS ps_x_rum_item_upd ON public.content_items;
CREATE TRIGGER ps_x_rum_item_upd AFTER UPDATE ON public.content_items
    REFERENCING OLD TABLE AS ps_old NEW TABLE AS ps_new FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_rum_items_sync('regular');
DROP TRIGGER IF EXISTS ps_x_rum_item_trunc ON public.content_items;
CREATE TRIGGER ps_x_rum_item_trunc AFTER TRUNCATE ON public.content_items
    FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_rum_items_sync('regular');

DROP TRIGGER IF EXISTS ps_x_rum_item_ins ON public.content_items_auto;
CREATE TRIGGER ps_x_rum_item_ins AFTER INSERT ON public.content_items_auto
    REFERENCING NEW TABLE AS ps_new FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_rum_items_sync('auto');
DROP TRIGGER IF EXISTS ps_x_rum_item_del ON public.content_items_auto;
CREATE TRIGGER ps_x_rum_item_del AFTER DELETE ON public.content_items_auto
    REFERENCING OLD TABLE AS ps_old FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_rum_items_sync('auto');
DROP TRIGGER IF EXISTS ps_x_rum_item_upd ON public.content_items_auto;
CREATE TRIGGER ps_x_rum_item_upd AFTER UPDATE ON public.content_items_auto
    REFERENCING OLD TABLE AS ps_old NEW TABLE AS ps_new FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_rum_items_sync('auto');
DROP TRIGGER IF EXISTS ps_x_rum_item_trunc ON public.content_items_auto;
CREATE TRIGGER ps_x_rum_item_trunc AFTER TRUNCATE ON public.content_items_auto
    FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_rum_items_sync('auto');
