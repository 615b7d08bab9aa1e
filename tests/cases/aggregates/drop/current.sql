CREATE FUNCTION public.concat2(text, text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT $1 || $2 $$;
CREATE AGGREGATE public.concat_all(text) (SFUNC = public.concat2, STYPE = text);
CREATE AGGREGATE public.moving_sum(integer) (
    SFUNC = int4pl, STYPE = integer,
    MSFUNC = int4pl, MINVFUNC = int4mi, MSTYPE = integer, MINITCOND = '0',
    COMBINEFUNC = int4pl, PARALLEL = safe);
