CREATE TABLE customers (id integer PRIMARY KEY, name text);
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id) ON DELETE CASCADE,
    qty bigint NOT NULL DEFAULT 1, placed_at date,
    CONSTRAINT orders_customer_placed_key UNIQUE (customer_id, placed_at));
CREATE VIEW order_qty AS SELECT id, customer_id, qty FROM orders;
GRANT SELECT ON order_qty TO app_reader;
