CREATE TABLE public.orders (id integer PRIMARY KEY, city text, zip text, amount numeric, created_at timestamp with time zone);
CREATE STATISTICS public.orders_st ON city, zip, amount FROM public.orders;
