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
