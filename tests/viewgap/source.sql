-- The viewgap suite's schema as deployed: views over a column whose type
-- changes by expand and contract (with a backfill), one of them stacked
-- on another, and a materialized view.
CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id),
    total numeric(10,2) NOT NULL,
    qty integer NOT NULL DEFAULT 1
);
CREATE VIEW order_totals AS
    SELECT customer_id, sum(total) AS total, sum(qty) AS qty
    FROM orders GROUP BY customer_id;
CREATE VIEW big_customers AS
    SELECT customer_id, qty FROM order_totals WHERE qty > 10;
CREATE MATERIALIZED VIEW qty_by_customer AS
    SELECT customer_id, sum(qty) AS qty FROM orders GROUP BY customer_id;
CREATE INDEX qty_by_customer_idx ON qty_by_customer (customer_id);
