-- p10-search: the capture triggers on the content tables and content_tags (function.sql).
DROP TRIGGER IF EXISTS ps_p10_search_ins ON public.content_items;
CREATE TRIGGER ps_p10_search_ins AFTER INSERT ON public.content_items
    REFERENCING NEW TABLE AS ps_new FOR EACH STATEMENT EXECUTE FUNCTION public.ps_p10_search_capture('regular');
DROP TRIGGER IF EXISTS ps_p10_search_del ON public.content_items;
CREATE TRIGGER ps_p10_search_del AFTER DELETE ON public.content_items
    REFERENCING OLD TABLE AS ps_old FOR EACH STATEMENT EXECUTE FUNCTION public.ps_p10_search_capture('regular');
DROP TRIGGER IF EXISTS ps_p10_search_upd ON public.content_items;
CREATE TRIGGER ps_p10_search_upd AFTER UPDATE ON public.content_items
    REFERENCING OLD TABLE AS ps_old NEW TABLE AS ps_new FOR EACH STATEMENT EXECUTE FUNCTION public.ps_p10_search_capture('regular');
DROP TRIGGER IF EXISTS ps_p10_search_trunc ON public.content_items;
CREATE TRIGGER ps_p10_search_trunc AFTER TRUNCATE ON public.content_items
    FOR EACH STATEMENT EXECUTE FUNCTION public.ps_p10_search_capture('regular');
DROP TRIGGER IF EXISTS ps_p10_search_ins ON public.content_items_auto;
CREATE TRIGGER ps_p10_search_ins AFTER INSERT ON public.content_items_auto
    REFERENCING NEW TABLE AS ps_new FOR EACH STATEMENT EXECUTE FUNCTION public.ps_p10_search_capture('auto');
DROP TRIGGER IF EXISTS ps_p10_search_del ON public.content_items_auto;
CREATE TRIGGER ps_p10_search_del AFTER DELETE ON public.content_items_auto
    REFERENCING OLD TABLE AS ps_old FOR EACH STATEMENT EXECUTE FUNCTION public.ps_p10_search_capture('auto');
DROP TRIGGER IF EXISTS ps_p10_search_upd ON public.content_items_auto;
CREATE TRIGGER ps_p10_search_upd AFTER UPDATE ON public.content_items_auto
    REFERENCING OLD TABLE AS ps_old NEW TABLE AS ps_new FOR EACH STATEMENT EXECUTE FUNCTION public.ps_p10_search_capture('auto');
DROP TRIGGER IF EXISTS ps_p10_search_trunc ON public.content_items_auto;
CREATE TRIGGER ps_p10_search_trunc AFTER TRUNCATE ON public.content_items_auto
    FOR EACH STATEMENT EXECUTE FUNCTION public.ps_p10_search_capture('auto');
DROP TRIGGER IF EXISTS ps_p10_search_ins ON public.content_tags;
CREATE TRIGGER ps_p10_search_ins AFTER INSERT ON public.content_tags
    REFERENCING NEW TABLE AS ps_new FOR EACH STATEMENT EXECUTE FUNCTION public.ps_p10_search_capture('tags');
DROP TRIGGER IF EXISTS ps_p10_search_del ON public.content_tags;
CREATE TRIGGER ps_p10_search_del AFTER DELETE ON public.content_tags
    REFERENCING OLD TABLE AS ps_old FOR EACH STATEMENT EXECUTE FUNCTION public.ps_p10_search_capture('tags');
DROP TRIGGER IF EXISTS ps_p10_search_upd ON public.content_tags;
CREATE TRIGGER ps_p10_search_upd AFTER UPDATE ON public.content_tags
    REFERENCING OLD TABLE AS ps_old NEW TABLE AS ps_new FOR EACH STATEMENT EXECUTE FUNCTION public.ps_p10_search_capture('tags');
DROP TRIGGER IF EXISTS ps_p10_search_trunc ON public.content_tags;
CREATE TRIGGER ps_p10_search_trunc AFTER TRUNCATE ON public.content_tags
    FOR EACH STATEMENT EXECUTE FUNCTION public.ps_p10_search_capture('tags');
