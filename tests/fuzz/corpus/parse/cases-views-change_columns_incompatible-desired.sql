CREATE TABLE orders (id integer PRIMARY KEY, customer text, amount numeric(10,2), placed_at date);
CREATE VIEW order_summary AS SELECT id, amount FROM orders;
