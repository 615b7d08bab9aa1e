-- A dropped table used by SQL-body functions (BEGIN ATOMIC): one dropped
-- too, one kept with a body over another table.
CREATE TABLE public.a (id int PRIMARY KEY, v text);
CREATE TABLE public.b (id int PRIMARY KEY, v text);
CREATE FUNCTION public.count_a() RETURNS bigint LANGUAGE sql
BEGIN ATOMIC
  SELECT count(*) FROM public.a;
END;
CREATE FUNCTION public.count_rows() RETURNS bigint LANGUAGE sql
BEGIN ATOMIC
  SELECT count(*) FROM public.a;
END;
