-- PlanSight's mark on its own demo database: what was built, with which arguments, and the fingerprint of the
-- generated data. Created empty before the data is loaded; its one row is written only when the whole build
-- has finished, so a database with an empty table is a demo whose build did not complete.
CREATE TABLE plansight_demo_info (
    profile text NOT NULL,
    scale double precision NOT NULL,
    seed bigint NOT NULL,
    generator_version integer NOT NULL,
    users bigint NOT NULL,
    tags bigint NOT NULL,
    content_items bigint NOT NULL,
    content_items_auto bigint NOT NULL,
    content_tags bigint NOT NULL,
    build_seconds double precision NOT NULL,
    fingerprint text NOT NULL,
    built_at timestamptz NOT NULL DEFAULT now(),
    details jsonb NOT NULL
);

-- The arguments the build was started with, written in the transaction that creates the schema.
CREATE TABLE plansight_demo_request (
    profile text NOT NULL,
    scale double precision NOT NULL,
    seed bigint NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now()
);
