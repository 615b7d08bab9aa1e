CREATE FUNCTION public.new_code() RETURNS text
    LANGUAGE plpgsql AS $$
BEGIN
    RETURN 'T-' || floor(random() * 1000000)::text;
END
$$;

CREATE TABLE public.prefixes (
    prefix text PRIMARY KEY
);

CREATE FUNCTION public.current_prefix() RETURNS text
    LANGUAGE sql STABLE AS $$ SELECT max(prefix) FROM public.prefixes $$;

CREATE TABLE public.tickets (
    id integer PRIMARY KEY,
    code text NOT NULL DEFAULT public.new_code(),
    prefix text DEFAULT public.current_prefix()
);
