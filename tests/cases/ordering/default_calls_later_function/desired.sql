-- A column default calling functions defined further down: one in
-- PL/pgSQL, one a LANGUAGE sql function whose string body reads a table
-- defined after it (the server checks such a body at creation).
CREATE TABLE public.tickets (
    id integer PRIMARY KEY,
    code text NOT NULL DEFAULT public.new_code(),
    prefix text DEFAULT public.current_prefix()
);

CREATE FUNCTION public.new_code() RETURNS text
    LANGUAGE plpgsql AS $$
BEGIN
    RETURN 'T-' || floor(random() * 1000000)::text;
END
$$;

CREATE FUNCTION public.current_prefix() RETURNS text
    LANGUAGE sql STABLE AS $$ SELECT max(prefix) FROM public.prefixes $$;

CREATE TABLE public.prefixes (
    prefix text PRIMARY KEY
);
