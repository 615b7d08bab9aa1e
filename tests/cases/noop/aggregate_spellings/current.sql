CREATE FUNCTION public.concat2(text, text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT $1 || $2 $$;
CREATE AGGREGATE public.concat_all(text) (SFUNC = public.concat2, STYPE = text);
CREATE AGGREGATE public.row_count(*) (SFUNC = int8inc, STYPE = int8, INITCOND = 0, PARALLEL = safe);
CREATE AGGREGATE public.biggest(int4) (SFUNC = int4larger, STYPE = int4, SORTOP = >);
