-- Same arguments and result: replaced in place, the view stays.
CREATE FUNCTION public.concat2(text, text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT $1 || $2 $$;
CREATE AGGREGATE public.concat_all(text) (SFUNC = public.concat2, STYPE = text, INITCOND = '<<');
CREATE VIEW public.v AS SELECT public.concat_all(x) AS s FROM (VALUES ('a'), ('b')) t(x);
