-- Whether the tables the gallery query reads exist in the current schema search path.
SELECT to_regclass('content_items') IS NOT NULL AND to_regclass('content_items_auto') IS NOT NULL
    AND to_regclass('content_tags') IS NOT NULL AND to_regclass('tags') IS NOT NULL
    AND to_regclass('users') IS NOT NULL AS present
