-- x-unified(-fixed): the shipped indexes. No primary key on the parent: a partitioned unique index on
-- (id, source) made of one unique index per partition; a keyset index (created_at DESC, id DESC) per partition;
-- the junction's (tag_id, content_source, content_id). The partitions' indexes are built first and attached, so
-- each has its own name.
CREATE UNIQUE INDEX PS_PREFIX_items_uidx_id_src ON public.content_items (id, PS_PREFIX_source_type);
CREATE UNIQUE INDEX PS_PREFIX_auto_uidx_id_src ON public.content_items_auto (id, PS_PREFIX_source_type);
CREATE UNIQUE INDEX PS_PREFIX_content_items_all_uidx_id_src ON ONLY public.PS_PREFIX_content_items_all
    (id, PS_PREFIX_source_type);
ALTER INDEX public.PS_PREFIX_content_items_all_uidx_id_src ATTACH PARTITION public.PS_PREFIX_items_uidx_id_src;
ALTER INDEX public.PS_PREFIX_content_items_all_uidx_id_src ATTACH PARTITION public.PS_PREFIX_auto_uidx_id_src;

CREATE INDEX PS_PREFIX_items_keyset ON public.content_items (created_at DESC, id DESC);
CREATE INDEX PS_PREFIX_auto_keyset ON public.content_items_auto (created_at DESC, id DESC);
CREATE INDEX PS_PREFIX_content_items_all_keyset ON ONLY public.PS_PREFIX_content_items_all (created_at DESC, id DESC);
ALTER INDEX public.PS_PREFIX_content_items_all_keyset ATTACH PARTITION public.PS_PREFIX_items_keyset;
ALTER INDEX public.PS_PREFIX_content_items_all_keyset ATTACH PARTITION public.PS_PREFIX_auto_keyset;

CREATE INDEX PS_PREFIX_tag_src_content ON public.content_tags (tag_id, content_source, content_id);
