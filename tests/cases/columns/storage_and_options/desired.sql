-- Storage set and reset to the type's default; attribute options set,
-- changed and removed.
CREATE TABLE public.docs (id bigint, body text, meta jsonb, tag text);
ALTER TABLE public.docs ALTER COLUMN body SET STORAGE EXTERNAL;
ALTER TABLE public.docs ALTER COLUMN id SET (n_distinct = -0.5);
ALTER TABLE public.docs ALTER COLUMN body SET (n_distinct = 100, n_distinct_inherited = 200);
