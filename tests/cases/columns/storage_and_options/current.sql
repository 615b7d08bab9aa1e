CREATE TABLE public.docs (id bigint, body text, meta jsonb, tag text);
ALTER TABLE public.docs ALTER COLUMN meta SET STORAGE MAIN;
ALTER TABLE public.docs ALTER COLUMN tag SET (n_distinct = 50);
