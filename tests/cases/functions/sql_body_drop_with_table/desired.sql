CREATE TABLE public.b (id int PRIMARY KEY, v text);
CREATE FUNCTION public.count_rows() RETURNS bigint LANGUAGE sql
BEGIN ATOMIC
  SELECT count(*) FROM public.b;
END;
