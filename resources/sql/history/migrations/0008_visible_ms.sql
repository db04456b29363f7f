-- History schema version 8: a footprint records a cache's write-to-visible time (p2-redis): from a write's COMMIT
-- until the strategy's answer shows it, with invalidation (visible_ms) and with the TTL only (visible_ttl_only_ms),
-- in ms. -1: not measured (other strategies, runs recorded before). Applied in one transaction; user_version
-- becomes 8.

ALTER TABLE footprints ADD COLUMN visible_ms REAL NOT NULL DEFAULT -1;
ALTER TABLE footprints ADD COLUMN visible_ttl_only_ms REAL NOT NULL DEFAULT -1;
