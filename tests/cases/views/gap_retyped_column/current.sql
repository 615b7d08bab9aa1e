-- A view over a column whose type changes by expand and contract
-- (integer to bigint), while a new unique key is built concurrently and a
-- foreign key's action changes (validated beside the old one): the view
-- is dropped and made again only inside the swap's transaction.
CREATE TABLE customers (id integer PRIMARY KEY, name text);
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id),
    qty integer NOT NULL DEFAULT 1, placed_at date);
CREATE VIEW order_qty AS SELECT id, customer_id, qty FROM orders;
GRANT SELECT ON order_qty TO app_reader;
