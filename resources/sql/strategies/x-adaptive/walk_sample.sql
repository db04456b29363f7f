-- x-adaptive: how far x-topn's walk of an all-match would go (docs/strategies.md, "x-adaptive"). x-topn walks the
-- tag $1 newest first and keeps an item when it carries every tag of $2. Here the walk reads at most $3 items of
-- $1 with the same probe as x-topn's and stops at the $4th item that passes, so the sample costs what that much of
-- the walk costs (a walk that passes often stops early). One row: how many items $1 has, up to $3 (`items`; fewer
-- than $3: the whole tag was read), how many of them passed, up to $4 (`passed`), and the position in the walk of
-- the last one that passed (`read_to`; NULL when none did). No ORDER BY on the passing rows: a sort would read the
-- whole sample; they come in the walk's order from the window over the ordered scan, so LIMIT stops the walk there.
SELECT (SELECT count(*) FROM (SELECT 1 FROM public.ps_x_topn_content_tags t WHERE t.tag_id = $1::uuid
                               LIMIT $3::bigint) AS bounded) AS items,
       found.passed, found.read_to
  FROM (SELECT count(*) AS passed, max(walk.rn) AS read_to
          FROM (SELECT walk.rn
                  FROM (SELECT row_number() OVER (ORDER BY x.created_at DESC, x.content_id DESC) AS rn,
                               x.created_at, x.content_id, x.content_source
                          FROM (SELECT x.created_at, x.content_id, x.content_source
                                  FROM public.ps_x_topn_content_tags x
                                 WHERE x.tag_id = $1::uuid
                                 ORDER BY x.created_at DESC, x.content_id DESC
                                 LIMIT $3::bigint) AS x) AS walk
                 WHERE (SELECT count(DISTINCT y.tag_id) FROM public.ps_x_topn_content_tags y
                         WHERE y.tag_id = ANY($2::uuid[]) AND y.created_at = walk.created_at
                           AND y.content_id = walk.content_id AND y.content_source = walk.content_source)
                       >= cardinality($2::uuid[])
                 LIMIT $4::bigint) AS walk) AS found
