-- p2-redis: the statement-level triggers that call ps_p2_redis_notify() (function.sql) on every write.
DROP TRIGGER IF EXISTS ps_p2_redis_notify ON public.content_items;
CREATE TRIGGER ps_p2_redis_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.content_items
    FOR EACH STATEMENT EXECUTE FUNCTION public.ps_p2_redis_notify();
DROP TRIGGER IF EXISTS ps_p2_redis_notify ON public.content_items_auto;
CREATE TRIGGER ps_p2_redis_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.content_items_auto
    FOR EACH STATEMENT EXECUTE FUNCTION public.ps_p2_redis_notify();
DROP TRIGGER IF EXISTS ps_p2_redis_notify ON public.content_tags;
CREATE TRIGGER ps_p2_redis_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.content_tags
    FOR EACH STATEMENT EXECUTE FUNCTION public.ps_p2_redis_notify();
