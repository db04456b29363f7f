-- p2-redis: every write to the content tables or content_tags sends NOTIFY ps_p2_redis (the table's name as the
-- payload); PlanSight's listener bumps the cache's data version, so the next read misses. Statement-level: one
-- notification per statement, and PostgreSQL folds identical ones of a transaction into one, sent at COMMIT.
CREATE OR REPLACE FUNCTION public.ps_p2_redis_notify() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM pg_notify('ps_p2_redis', TG_TABLE_NAME);
    RETURN NULL;
END
$fn$;

DROP TRIGGER IF EXISTS ps_p2_redis_notify ON public.content_items;
CREATE TRIGGER ps_p2_redis_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.content_items
    FOR EACH STATEMENT EXECUTE FUNCTION public.ps_p2_redis_notify();
DROP TRIGGER IF EXISTS ps_p2_redis_notify ON public.content_items_auto;
CREATE TRIGGER ps_p2_redis_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.content_items_auto
    FOR EACH STATEMENT EXECUTE FUNCTION public.ps_p2_redis_notify();
DROP TRIGGER IF EXISTS ps_p2_redis_notify ON public.content_tags;
CREATE TRIGGER ps_p2_redis_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.content_tags
    FOR EACH STATEMENT EXECUTE FUNCTION public.ps_p2_redis_notify();
