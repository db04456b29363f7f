-- x-topn: keep the time-ordered junction equal to content_tags joined to the content tables.
-- Statement-level triggers with transition tables; every lookup goes through ps_x_topn_tag_created
-- (tag_id, created_at, content_id) or the gallery tables' own indexes, never a scan.

-- content_tags INSERT / DELETE / UPDATE / TRUNCATE.
CREATE OR REPLACE FUNCTION public.ps_x_topn_tags_sync() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        -- created_at comes from the item; when the item is already gone its rows went with it.
        DELETE FROM public.ps_x_topn_content_tags x
         USING (SELECT o.tag_id, ci.created_at, o.content_id, o.content_source
                  FROM ps_old o JOIN public.content_items ci ON ci.id = o.content_id
                 WHERE o.content_source = 'regular'
                UNION ALL
                SELECT o.tag_id, ci.created_at, o.content_id, o.content_source
                  FROM ps_old o JOIN public.content_items_auto ci ON ci.id = o.content_id
                 WHERE o.content_source = 'auto') d
         WHERE x.tag_id = d.tag_id AND x.created_at = d.created_at AND x.content_id = d.content_id
           AND x.content_source = d.content_source;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO public.ps_x_topn_content_tags (tag_id, created_at, content_id, content_source, creator_id)
        SELECT n.tag_id, ci.created_at, n.content_id, n.content_source, ci.creator_id
          FROM ps_new n JOIN public.content_items ci ON ci.id = n.content_id
         WHERE n.content_source = 'regular'
        UNION ALL
        SELECT n.tag_id, ci.created_at, n.content_id, n.content_source, ci.creator_id
          FROM ps_new n JOIN public.content_items_auto ci ON ci.id = n.content_id
         WHERE n.content_source = 'auto';
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE public.ps_x_topn_content_tags;
    END IF;
    RETURN NULL;
END
$fn$;

-- content_items / content_items_auto (TG_ARGV[0] is the source): an item's created_at or creator_id
-- changing, an item deleted, or an item inserted after its tags.
CREATE OR REPLACE FUNCTION public.ps_x_topn_items_sync() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    src text := TG_ARGV[0];
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM public.ps_x_topn_content_tags WHERE content_source = src;
        RETURN NULL;
    END IF;
    -- Each statement names only the transition tables its event has (plpgsql plans a statement when it
    -- first runs, so a branch that does not run never looks for a table its trigger lacks).
    IF TG_OP = 'DELETE' THEN
        DELETE FROM public.ps_x_topn_content_tags x
         USING ps_old o JOIN public.content_tags ct ON ct.content_id = o.id AND ct.content_source = src
         WHERE x.tag_id = ct.tag_id AND x.created_at = o.created_at AND x.content_id = o.id AND x.content_source = src;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO public.ps_x_topn_content_tags (tag_id, created_at, content_id, content_source, creator_id)
        SELECT ct.tag_id, n.created_at, n.id, src, n.creator_id
          FROM ps_new n JOIN public.content_tags ct ON ct.content_id = n.id AND ct.content_source = src;
    ELSIF TG_OP = 'UPDATE' THEN
        DELETE FROM public.ps_x_topn_content_tags x
         USING ps_old o
          JOIN ps_new n ON n.id = o.id
          JOIN public.content_tags ct ON ct.content_id = o.id AND ct.content_source = src
         WHERE (n.created_at, n.creator_id) IS DISTINCT FROM (o.created_at, o.creator_id)
           AND x.tag_id = ct.tag_id AND x.created_at = o.created_at AND x.content_id = o.id AND x.content_source = src;
        INSERT INTO public.ps_x_topn_content_tags (tag_id, created_at, content_id, content_source, creator_id)
        SELECT ct.tag_id, n.created_at, n.id, src, n.creator_id
          FROM ps_new n
          JOIN ps_old o ON o.id = n.id
          JOIN public.content_tags ct ON ct.content_id = n.id AND ct.content_source = src
         WHERE (n.created_at, n.creator_id) IS DISTINCT FROM (o.created_at, o.creator_id);
    END IF;
    RETURN NULL;
END
$fn$;

DROP TRIGGER IF EXISTS ps_x_topn_ins ON public.content_tags;
CREATE TRIGGER ps_x_topn_ins AFTER INSERT ON public.content_tags
    REFERENCING NEW TABLE AS ps_new FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_topn_tags_sync();
DROP TRIGGER IF EXISTS ps_x_topn_del ON public.content_tags;
CREATE TRIGGER ps_x_topn_del AFTER DELETE ON public.content_tags
    REFERENCING OLD TABLE AS ps_old FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_topn_tags_sync();
DROP TRIGGER IF EXISTS ps_x_topn_upd ON public.content_tags;
CREATE TRIGGER ps_x_topn_upd AFTER UPDATE ON public.content_tags
    REFERENCING OLD TABLE AS ps_old NEW TABLE AS ps_new FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_topn_tags_sync();
DROP TRIGGER IF EXISTS ps_x_topn_trunc ON public.content_tags;
CREATE TRIGGER ps_x_topn_trunc AFTER TRUNCATE ON public.content_tags
    FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_topn_tags_sync();

DROP TRIGGER IF EXISTS ps_x_topn_item_ins ON public.content_items;
CREATE TRIGGER ps_x_topn_item_ins AFTER INSERT ON public.content_items
    REFERENCING NEW TABLE AS ps_new FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_topn_items_sync('regular');
DROP TRIGGER IF EXISTS ps_x_topn_item_del ON public.content_items;
CREATE TRIGGER ps_x_topn_item_del AFTER DELETE ON public.content_items
    REFERENCING OLD TABLE AS ps_old FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_topn_items_sync('regular');
DROP TRIGGER IF EXISTS ps_x_topn_item_upd ON public.content_items;
CREATE TRIGGER ps_x_topn_item_upd AFTER UPDATE ON public.content_items
    REFERENCING OLD TABLE AS ps_old NEW TABLE AS ps_new FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_topn_items_sync('regular');
DROP TRIGGER IF EXISTS ps_x_topn_item_trunc ON public.content_items;
CREATE TRIGGER ps_x_topn_item_trunc AFTER TRUNCATE ON public.content_items
    FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_topn_items_sync('regular');

DROP TRIGGER IF EXISTS ps_x_topn_item_ins ON public.content_items_auto;
CREATE TRIGGER ps_x_topn_item_ins AFTER INSERT ON public.content_items_auto
    REFERENCING NEW TABLE AS ps_new FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_topn_items_sync('auto');
DROP TRIGGER IF EXISTS ps_x_topn_item_del ON public.content_items_auto;
CREATE TRIGGER ps_x_topn_item_del AFTER DELETE ON public.content_items_auto
    REFERENCING OLD TABLE AS ps_old FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_topn_items_sync('auto');
DROP TRIGGER IF EXISTS ps_x_topn_item_upd ON public.content_items_auto;
CREATE TRIGGER ps_x_topn_item_upd AFTER UPDATE ON public.content_items_auto
    REFERENCING OLD TABLE AS ps_old NEW TABLE AS ps_new FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_topn_items_sync('auto');
DROP TRIGGER IF EXISTS ps_x_topn_item_trunc ON public.content_items_auto;
CREATE TRIGGER ps_x_topn_item_trunc AFTER TRUNCATE ON public.content_items_auto
    FOR EACH STATEMENT EXECUTE FUNCTION public.ps_x_topn_items_sync('auto');
