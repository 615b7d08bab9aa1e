CREATE TABLE customers (
	id bigint PRIMARY KEY,
	name text NOT NULL
);
CREATE TABLE orders (
	id bigint PRIMARY KEY,
	customer_id bigint,
	status text,
	total numeric(12,2)
);
