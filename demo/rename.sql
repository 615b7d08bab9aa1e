-- A second change, for the drafting stage of `git schemig demo`: the deployed
-- schema (v1.sql) with orders.note renamed to remark. A diff sees a column
-- dropped and another added; only a rename keeps the notes.
CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped');

CREATE TABLE customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email varchar(200) NOT NULL UNIQUE,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    status order_status NOT NULL DEFAULT 'pending',
    total numeric(10,2) NOT NULL CHECK (total >= 0),
    quantity integer NOT NULL DEFAULT 1,
    remark varchar(100)
);

CREATE INDEX orders_customer_idx ON orders (customer_id);

CREATE VIEW order_totals AS
    SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id;
