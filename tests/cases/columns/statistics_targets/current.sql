CREATE TABLE public.events (id bigint, kind text, payload jsonb, score numeric);
ALTER TABLE public.events ALTER COLUMN score SET STATISTICS 200;
