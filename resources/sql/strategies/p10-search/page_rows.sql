-- p10-search: the page's rows, fetched by the (source, id) list the search index returned ($1 sources, $2 ids), in
-- that order, with the baseline's columns (docs/gallery.md, "The query"). PS_COLUMNS_REGULAR and PS_COLUMNS_AUTO are
-- the column lists of the code (GalleryQueryBuilder::columns), never input.
SELECT * FROM (
  SELECT PS_COLUMNS_REGULAR, p.ord
    FROM unnest($1::text[], $2::integer[]) WITH ORDINALITY AS p(source, id, ord)
    JOIN public.content_items ci ON ci.id = p.id
    JOIN public.users u ON u.id = ci.creator_id
   WHERE p.source = 'regular'
  UNION ALL
  SELECT PS_COLUMNS_AUTO, p.ord
    FROM unnest($1::text[], $2::integer[]) WITH ORDINALITY AS p(source, id, ord)
    JOIN public.content_items_auto ci ON ci.id = p.id
    JOIN public.users u ON u.id = ci.creator_id
   WHERE p.source = 'auto'
) AS page
ORDER BY page.ord;
