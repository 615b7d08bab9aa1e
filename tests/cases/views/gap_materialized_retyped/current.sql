-- A materialized view over a column retyped by expand and contract, whose
-- query also changes, with an index of its own, while a foreign key's
-- action changes: dropped, filled again and indexed in the swap's
-- transaction.
CREATE TABLE customers (id integer PRIMARY KEY, name text);
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id),
    qty integer, placed_at date);
CREATE MATERIALIZED VIEW qty_by_customer AS SELECT customer_id, sum(qty) AS qty FROM orders GROUP BY customer_id;
CREATE INDEX qty_by_customer_idx ON qty_by_customer (customer_id);
