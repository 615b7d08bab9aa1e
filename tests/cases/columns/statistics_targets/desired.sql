-- A target added, one changed back to the default.
CREATE TABLE public.events (id bigint, kind text, payload jsonb, score numeric);
ALTER TABLE ONLY public.events ALTER COLUMN kind SET STATISTICS 1000;
