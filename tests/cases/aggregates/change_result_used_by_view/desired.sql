-- The state type (the result) changes: CREATE OR REPLACE cannot do that,
-- so the view is dropped, the aggregate dropped and created, the view
-- created again.
CREATE TABLE public.nums (n integer);
CREATE FUNCTION public.add_int(integer, integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT $1 + $2 $$;
CREATE FUNCTION public.add_big(bigint, integer) RETURNS bigint
    LANGUAGE sql IMMUTABLE AS $$ SELECT $1 + $2 $$;
CREATE AGGREGATE public.total(integer) (SFUNC = public.add_big, STYPE = bigint);
CREATE VIEW public.sums AS SELECT public.total(n) AS t FROM public.nums;
