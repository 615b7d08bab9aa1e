-- An ordered-set aggregate over user support functions, and SORTOP.
-- (Aggregates with an internal transition type, as the built-in ordered-
-- set and hypothetical-set ones, need a superuser: schema files are
-- loaded as a plain role, so they cannot be in a case.)
CREATE TABLE public.m (v double precision);
CREATE FUNCTION public.os_accum(anyarray, anyelement) RETURNS anyarray
    LANGUAGE sql IMMUTABLE AS $$ SELECT $1 || $2 $$;
CREATE FUNCTION public.os_final(anyarray, double precision, anyelement) RETURNS anyelement
    LANGUAGE sql IMMUTABLE AS $$ SELECT $1[greatest(1, ceil($2 * array_length($1, 1))::integer)] $$;
CREATE AGGREGATE public.my_percentile(double precision ORDER BY anyelement) (
    SFUNC = public.os_accum, STYPE = anyarray,
    FINALFUNC = public.os_final, FINALFUNC_EXTRA);
CREATE AGGREGATE public.biggest(integer) (SFUNC = int4larger, STYPE = integer, SORTOP = >);
CREATE VIEW public.median AS
    SELECT public.my_percentile(0.5) WITHIN GROUP (ORDER BY v) AS p FROM public.m;
