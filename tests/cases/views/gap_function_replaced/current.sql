-- A view calling a function whose result type changes (dropped and made
-- again), while a foreign key's action changes: the view goes and comes
-- back in the function's step.
CREATE TABLE customers (id integer PRIMARY KEY, name text);
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id), amount numeric(10,2), placed_at date);
CREATE FUNCTION net(numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT $1 * 0.8 $$;
CREATE VIEW net_orders AS SELECT id, net(amount) AS net_amount FROM orders;
