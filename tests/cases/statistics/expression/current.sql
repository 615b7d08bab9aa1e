CREATE TABLE public.orders (id integer PRIMARY KEY, city text, zip text, amount numeric, created_at timestamp with time zone);
CREATE STATISTICS orders_day ON (date_trunc('day', created_at)) FROM orders;
