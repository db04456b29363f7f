-- p10-search: the names of the tags $1, for the facet counts in the run's note.
SELECT id::text, name FROM public.tags WHERE id = ANY ($1::uuid[]);
