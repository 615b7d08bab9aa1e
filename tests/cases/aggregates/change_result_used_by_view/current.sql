CREATE TABLE public.nums (n integer);
CREATE FUNCTION public.add_int(integer, integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT $1 + $2 $$;
CREATE AGGREGATE public.total(integer) (SFUNC = public.add_int, STYPE = integer);
CREATE VIEW public.sums AS SELECT public.total(n) AS t FROM public.nums;
