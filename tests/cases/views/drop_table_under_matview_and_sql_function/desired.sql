CREATE TABLE public.b (id int PRIMARY KEY, v text);
CREATE FUNCTION public.first_v() RETURNS text LANGUAGE sql
BEGIN ATOMIC
  SELECT v FROM public.b ORDER BY id LIMIT 1;
END;
