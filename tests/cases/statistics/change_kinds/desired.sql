CREATE TABLE public.orders (id integer PRIMARY KEY, city text, zip text, amount numeric, created_at timestamp with time zone);
CREATE STATISTICS orders_st (ndistinct, mcv) ON city, zip FROM orders;
