-- Defaults taking values from sequences defined after the table, named
-- in a plain string and in a regclass literal, and a sequence owned by a
-- column, set before both the sequence and the table exist.
ALTER SEQUENCE public.line_no OWNED BY public.invoices.line_id;

CREATE TABLE public.invoices (
    id bigint DEFAULT nextval('invoice_no') NOT NULL,
    line_id bigint DEFAULT nextval('public.line_no'::regclass)
);

CREATE SEQUENCE public.invoice_no START 1000;

CREATE SEQUENCE public.line_no;
