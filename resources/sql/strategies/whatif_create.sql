-- What-if (strategies/whatif.h): one hypothetical index, the CREATE INDEX statement bound as $1 (HypoPG parses it with
-- the server's parser and makes nothing of a statement that is not CREATE INDEX). It exists only in this session's
-- planner.
SELECT indexrelid::bigint AS oid, indexname FROM hypopg_create_index($1::text)
