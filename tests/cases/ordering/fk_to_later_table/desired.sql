-- A foreign key to a table defined further down the file.
CREATE TABLE public.orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES public.customers (id),
    note text
);

CREATE TABLE public.customers (
    id integer PRIMARY KEY,
    name text NOT NULL
);
