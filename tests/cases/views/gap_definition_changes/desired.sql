CREATE TABLE customers (id integer PRIMARY KEY, name text);
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id) ON DELETE CASCADE,
    total numeric(10,2) NOT NULL, qty bigint NOT NULL, note text);
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE VIEW order_totals AS SELECT customer_id, sum(total) AS total, sum(qty) AS qty, count(*) AS orders FROM orders GROUP BY customer_id;
COMMENT ON VIEW order_totals IS 'per customer, with the number of orders';
