-- A dropped table under a view, a materialized view over that view and a
-- SQL-body function over the view; the function stays with a body over
-- another table, the views go.
CREATE TABLE public.a (id int PRIMARY KEY, v text);
CREATE TABLE public.b (id int PRIMARY KEY, v text);
CREATE VIEW public.va AS SELECT id, v FROM public.a;
CREATE MATERIALIZED VIEW public.mva AS SELECT id FROM public.va;
CREATE FUNCTION public.first_v() RETURNS text LANGUAGE sql
BEGIN ATOMIC
  SELECT v FROM public.va ORDER BY id LIMIT 1;
END;
