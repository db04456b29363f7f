-- A fingerprint of the stored demo data that does not depend on the rows' physical order: per table, the row
-- count and the sum of a hash of each row's text. Equal data gives equal results; it reads every row.
SELECT md5(concat_ws('|',
    (SELECT count(*) || ':' || coalesce(sum(hashtext(u::text)::bigint), 0) FROM users u),
    (SELECT count(*) || ':' || coalesce(sum(hashtext(t::text)::bigint), 0) FROM tags t),
    (SELECT count(*) || ':' || coalesce(sum(hashtext(p::text)::bigint), 0) FROM tag_parents p),
    (SELECT count(*) || ':' || coalesce(sum(hashtext(r::text)::bigint), 0) FROM tag_ratings r),
    (SELECT count(*) || ':' || coalesce(sum(hashtext(c::text)::bigint), 0) FROM content_items c),
    (SELECT count(*) || ':' || coalesce(sum(hashtext(a::text)::bigint), 0) FROM content_items_auto a),
    (SELECT count(*) || ':' || coalesce(sum(hashtext(j::text)::bigint), 0) FROM content_tags j)))
