CREATE TABLE orders (id integer PRIMARY KEY, customer text, amount numeric(10,2), placed_at date);
CREATE VIEW big_orders AS SELECT id, customer, amount FROM orders WHERE amount > 100;
