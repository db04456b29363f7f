-- x-rum: remove exactly what apply made. Transactional DDL only (the extension, when PlanSight created it, is
-- dropped after this by SchemaStrategy::revert).
DROP TRIGGER IF EXISTS ps_x_rum_ins ON public.content_tags;
DROP TRIGGER IF EXISTS ps_x_rum_del ON public.content_tags;
DROP TRIGGER IF EXISTS ps_x_rum_upd ON public.content_tags;
DROP TRIGGER IF EXISTS ps_x_rum_trunc ON public.content_tags;
DROP TRIGGER IF EXISTS ps_x_rum_item_ins ON public.content_items;
DROP TRIGGER IF EXISTS ps_x_rum_item_del ON public.content_items;
DROP TRIGGER IF EXISTS ps_x_rum_item_upd ON public.content_items;
DROP TRIGGER IF EXISTS ps_x_rum_item_trunc ON public.content_items;
DROP TRIGGER IF EXISTS ps_x_rum_item_ins ON public.content_items_auto;
DROP TRIGGER IF EXISTS ps_x_rum_item_del ON public.content_items_auto;
DROP TRIGGER IF EXISTS ps_x_rum_item_upd ON public.content_items_auto;
DROP TRIGGER IF EXISTS ps_x_rum_item_trunc ON public.content_items_auto;
DROP FUNCTION IF EXISTS public.ps_x_rum_tags_sync();
DROP FUNCTION IF EXISTS public.ps_x_rum_items_sync();
DROP FUNCTION IF EXISTS public.ps_x_rum_refresh(varchar[], integer[]);
DROP TABLE IF EXISTS public.ps_x_rum_items;
