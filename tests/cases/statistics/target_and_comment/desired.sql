CREATE TABLE public.orders (id integer PRIMARY KEY, city text, zip text, amount numeric, created_at timestamp with time zone);
CREATE STATISTICS orders_st ON city, zip FROM orders;
ALTER STATISTICS orders_st SET STATISTICS 500;
COMMENT ON STATISTICS orders_st IS 'city and zip go together';
