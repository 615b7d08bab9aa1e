CREATE TABLE public.words (w text);
CREATE FUNCTION public.concat2(text, text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT $1 || $2 $$;
