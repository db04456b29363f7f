DROP INDEX public.gallery_ex_tag_source_content;
DROP INDEX public.gallery_ex_regular;
DROP INDEX public.gallery_ex_auto;
