-- The support function exists; the aggregate is new.
CREATE FUNCTION public.concat2(text, text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT $1 || $2 $$;
