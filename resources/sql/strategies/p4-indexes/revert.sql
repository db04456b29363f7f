-- p4-indexes: remove exactly what apply made. Transactional DDL only.
DROP INDEX IF EXISTS public.ps_p4_indexes_tag_source_content;
DROP INDEX IF EXISTS public.ps_p4_indexes_regular;
DROP INDEX IF EXISTS public.ps_p4_indexes_auto;
