-- The target: qty becomes bigint (expand and contract: a shadow column,
-- a backfill, a swap), a new column and an index built concurrently, a
-- foreign key whose action changes (validated beside the old one), and
-- the views' own definitions change too.
CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    total numeric(10,2) NOT NULL,
    qty bigint NOT NULL DEFAULT 1,
    note text
);
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE VIEW order_totals AS
    SELECT customer_id, sum(total) AS total, sum(qty) AS qty, count(*) AS orders
    FROM orders GROUP BY customer_id;
CREATE VIEW big_customers AS
    SELECT customer_id, qty FROM order_totals WHERE qty > 10;
CREATE MATERIALIZED VIEW qty_by_customer AS
    SELECT customer_id, sum(qty) AS qty, count(*) AS orders FROM orders GROUP BY customer_id;
CREATE INDEX qty_by_customer_idx ON qty_by_customer (customer_id);
