CREATE SEQUENCE public.invoice_no START 1000;

CREATE SEQUENCE public.line_no;

CREATE TABLE public.invoices (
    id bigint DEFAULT nextval('invoice_no') NOT NULL,
    line_id bigint DEFAULT nextval('public.line_no'::regclass)
);

ALTER SEQUENCE public.line_no OWNED BY public.invoices.line_id;
