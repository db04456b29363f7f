-- What a demo build was asked for ($1 profile, $2 scale, $3 seed), written when it starts: an unfinished
-- build is rebuilt with these arguments when `demo up` is given none.
INSERT INTO plansight_demo_request (profile, scale, seed) VALUES ($1, $2::float8, $3::bigint)
