CREATE TABLE customers (id integer PRIMARY KEY, name text);
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id) ON DELETE CASCADE, amount numeric(10,2), placed_at date);
CREATE INDEX orders_placed_idx ON orders (placed_at);
CREATE FUNCTION net(numeric) RETURNS double precision LANGUAGE sql IMMUTABLE AS $$ SELECT ($1 * 0.8)::double precision $$;
CREATE VIEW net_orders AS SELECT id, net(amount) AS net_amount FROM orders;
