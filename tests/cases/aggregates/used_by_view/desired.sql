-- The aggregate must exist before the view that calls it.
CREATE TABLE public.words (w text);
CREATE FUNCTION public.concat2(text, text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT $1 || $2 $$;
CREATE AGGREGATE public.concat_all(text) (SFUNC = public.concat2, STYPE = text);
CREATE VIEW public.sentence AS SELECT public.concat_all(w) AS s FROM public.words;
