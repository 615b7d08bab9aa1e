CREATE TABLE public.customers (
    id integer PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE public.orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES public.customers (id),
    note text
);
