CREATE FUNCTION public.iban_length(v text) RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN length(replace(v, ' ', ''));

CREATE FUNCTION public.valid_iban(v text) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    RETURN public.iban_length(v) BETWEEN 15 AND 34;

CREATE TABLE public.accounts (
    id integer PRIMARY KEY,
    iban text NOT NULL CONSTRAINT iban_ok CHECK (public.valid_iban(iban))
);
