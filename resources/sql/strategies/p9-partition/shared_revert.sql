-- p9-partition(-hash): remove exactly what apply made. Transactional DDL only. Dropping the parent drops its
-- partitions and indexes; the loop then drops any partition left detached (a broken state).
DROP TRIGGER IF EXISTS PS_PREFIX_ins ON public.content_tags;
DROP TRIGGER IF EXISTS PS_PREFIX_del ON public.content_tags;
DROP TRIGGER IF EXISTS PS_PREFIX_upd ON public.content_tags;
DROP TRIGGER IF EXISTS PS_PREFIX_trunc ON public.content_tags;
DROP FUNCTION IF EXISTS public.PS_PREFIX_sync();
DROP TABLE IF EXISTS public.PS_PREFIX_content_tags;
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
                AND c.relname ~ '^PS_PREFIX_(regular|auto|other)(_[0-9]+)?$'
              ORDER BY c.relkind DESC
    LOOP
        EXECUTE format('DROP TABLE IF EXISTS public.%I', t.relname);
    END LOOP;
END
$$;
