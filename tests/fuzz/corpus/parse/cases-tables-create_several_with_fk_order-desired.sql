CREATE TABLE customers (id integer PRIMARY KEY);
CREATE TABLE products (id integer PRIMARY KEY);
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id));
CREATE TABLE order_lines (
	order_id integer NOT NULL REFERENCES orders (id),
	product_id integer NOT NULL REFERENCES products (id),
	qty integer NOT NULL
);
