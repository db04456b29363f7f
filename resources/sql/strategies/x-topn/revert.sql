-- x-topn: remove exactly what apply made. Transactional DDL only.
DROP TRIGGER IF EXISTS ps_x_topn_ins ON public.content_tags;
DROP TRIGGER IF EXISTS ps_x_topn_del ON public.content_tags;
DROP TRIGGER IF EXISTS ps_x_topn_upd ON public.content_tags;
DROP TRIGGER IF EXISTS ps_x_topn_trunc ON public.content_tags;
DROP TRIGGER IF EXISTS ps_x_topn_item_ins ON public.content_items;
DROP TRIGGER IF EXISTS ps_x_topn_item_del ON public.content_items;
DROP TRIGGER IF EXISTS ps_x_topn_item_upd ON public.content_items;
DROP TRIGGER IF EXISTS ps_x_topn_item_trunc ON public.content_items;
DROP TRIGGER IF EXISTS ps_x_topn_item_ins ON public.content_items_auto;
DROP TRIGGER IF EXISTS ps_x_topn_item_del ON public.content_items_auto;
DROP TRIGGER IF EXISTS ps_x_topn_item_upd ON public.content_items_auto;
DROP TRIGGER IF EXISTS ps_x_topn_item_trunc ON public.content_items_auto;
DROP FUNCTION IF EXISTS public.ps_x_topn_tags_sync();
DROP FUNCTION IF EXISTS public.ps_x_topn_items_sync();
DROP TABLE IF EXISTS public.ps_x_topn_content_tags;
