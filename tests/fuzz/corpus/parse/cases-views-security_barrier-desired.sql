CREATE TABLE orders (id integer PRIMARY KEY, customer text, amount numeric(10,2), placed_at date);
CREATE VIEW my_orders WITH (security_barrier) AS SELECT id, amount FROM orders WHERE customer = current_user;
