-- p3-tag-array: remove exactly what apply made. Transactional DDL only (see SchemaStrategy::revertSql).
DROP TRIGGER IF EXISTS ps_p3_tag_array_ins ON public.content_tags;
DROP TRIGGER IF EXISTS ps_p3_tag_array_del ON public.content_tags;
DROP TRIGGER IF EXISTS ps_p3_tag_array_upd ON public.content_tags;
DROP TRIGGER IF EXISTS ps_p3_tag_array_trunc ON public.content_tags;
DROP TRIGGER IF EXISTS ps_p3_tag_array_item ON public.content_items;
DROP TRIGGER IF EXISTS ps_p3_tag_array_item ON public.content_items_auto;
DROP FUNCTION IF EXISTS public.ps_p3_tag_array_sync();
DROP FUNCTION IF EXISTS public.ps_p3_tag_array_item();
DROP FUNCTION IF EXISTS public.ps_p3_tag_array_refresh(text, integer[]);
DROP INDEX IF EXISTS public.ps_p3_tag_array_items_tags;
DROP INDEX IF EXISTS public.ps_p3_tag_array_auto_tags;
ALTER TABLE public.content_items DROP COLUMN IF EXISTS ps_p3_tag_array_tag_ids;
ALTER TABLE public.content_items_auto DROP COLUMN IF EXISTS ps_p3_tag_array_tag_ids;
