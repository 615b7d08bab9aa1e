-- A new aggregate over a new support function, and one over built-ins.
CREATE FUNCTION public.concat2(text, text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT $1 || $2 $$;
CREATE FUNCTION public.longest(text, text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN length($2) > length($1) THEN $2 ELSE $1 END $$;
CREATE AGGREGATE public.concat_all(text) (SFUNC = public.concat2, STYPE = text);
CREATE AGGREGATE public.longest_of(text) (SFUNC = longest, STYPE = text, INITCOND = '');
CREATE AGGREGATE public.row_count(*) (SFUNC = int8inc, STYPE = int8, INITCOND = 0, PARALLEL = safe);
COMMENT ON AGGREGATE public.row_count(*) IS 'counts rows';
