-- p10-search: remove exactly what apply made. Transactional DDL only. (The search index itself is removed by
-- PlanSight after this script: strategies/searchstrategy.h.)
DROP TRIGGER IF EXISTS ps_p10_search_ins ON public.content_items;
DROP TRIGGER IF EXISTS ps_p10_search_del ON public.content_items;
DROP TRIGGER IF EXISTS ps_p10_search_upd ON public.content_items;
DROP TRIGGER IF EXISTS ps_p10_search_trunc ON public.content_items;
DROP TRIGGER IF EXISTS ps_p10_search_ins ON public.content_items_auto;
DROP TRIGGER IF EXISTS ps_p10_search_del ON public.content_items_auto;
DROP TRIGGER IF EXISTS ps_p10_search_upd ON public.content_items_auto;
DROP TRIGGER IF EXISTS ps_p10_search_trunc ON public.content_items_auto;
DROP TRIGGER IF EXISTS ps_p10_search_ins ON public.content_tags;
DROP TRIGGER IF EXISTS ps_p10_search_del ON public.content_tags;
DROP TRIGGER IF EXISTS ps_p10_search_upd ON public.content_tags;
DROP TRIGGER IF EXISTS ps_p10_search_trunc ON public.content_tags;
DROP FUNCTION IF EXISTS public.ps_p10_search_capture();
DROP TABLE IF EXISTS public.ps_p10_search_outbox;
