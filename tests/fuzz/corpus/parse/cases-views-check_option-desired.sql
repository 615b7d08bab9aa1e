CREATE TABLE orders (id integer PRIMARY KEY, customer text, amount numeric(10,2), placed_at date);
CREATE VIEW cheap_orders AS SELECT * FROM orders WHERE amount < 10 WITH CASCADED CHECK OPTION;
