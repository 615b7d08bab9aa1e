CREATE TABLE customers (
	id bigint PRIMARY KEY,
	name text NOT NULL
);
CREATE TABLE orders (
	id bigint PRIMARY KEY,
	customer_id bigint REFERENCES customers (id),
	status text NOT NULL,
	total numeric(12,2),
	priority integer NOT NULL DEFAULT 0
);
CREATE INDEX orders_customer_idx ON orders (customer_id);
