-- A CHECK calling a function defined after the table; the function has
-- an SQL-standard body (RETURN), checked by the server when made, which
-- calls another function defined last.
CREATE TABLE public.accounts (
    id integer PRIMARY KEY,
    iban text NOT NULL CONSTRAINT iban_ok CHECK (public.valid_iban(iban))
);

CREATE FUNCTION public.valid_iban(v text) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    RETURN public.iban_length(v) BETWEEN 15 AND 34;

CREATE FUNCTION public.iban_length(v text) RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN length(replace(v, ' ', ''));
