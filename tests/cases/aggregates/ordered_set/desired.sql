-- Ordered-set and hypothetical-set aggregates over built-in support
-- functions, and a percentile over a user final function.
CREATE TABLE public.m (v double precision);
CREATE FUNCTION public.pct_final(internal, double precision, anyelement) RETURNS anyelement
    LANGUAGE internal IMMUTABLE AS 'percentile_disc_final';
CREATE AGGREGATE public.my_percentile(double precision ORDER BY anyelement) (
    SFUNC = ordered_set_transition, STYPE = internal,
    FINALFUNC = public.pct_final, FINALFUNC_EXTRA);
CREATE AGGREGATE public.my_rank(VARIADIC "any" ORDER BY VARIADIC "any") (
    SFUNC = ordered_set_transition_multi, STYPE = internal,
    FINALFUNC = rank_final, FINALFUNC_EXTRA, HYPOTHETICAL);
CREATE AGGREGATE public.biggest(integer) (SFUNC = int4larger, STYPE = integer, SORTOP = >);
CREATE VIEW public.median AS
    SELECT public.my_percentile(0.5) WITHIN GROUP (ORDER BY v) AS p FROM public.m;
