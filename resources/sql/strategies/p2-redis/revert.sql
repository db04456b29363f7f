-- p2-redis: remove exactly what apply made. Transactional DDL only.
DROP TRIGGER IF EXISTS ps_p2_redis_notify ON public.content_items;
DROP TRIGGER IF EXISTS ps_p2_redis_notify ON public.content_items_auto;
DROP TRIGGER IF EXISTS ps_p2_redis_notify ON public.content_tags;
DROP FUNCTION IF EXISTS public.ps_p2_redis_notify();
