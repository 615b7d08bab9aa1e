CREATE TABLE customers (id integer PRIMARY KEY, name text);
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id) ON DELETE CASCADE,
    qty bigint, placed_at date);
CREATE INDEX orders_placed_idx ON orders (placed_at);
CREATE MATERIALIZED VIEW qty_by_customer AS SELECT customer_id, sum(qty) AS qty, count(*) AS n FROM orders GROUP BY customer_id;
CREATE INDEX qty_by_customer_idx ON qty_by_customer (customer_id);
