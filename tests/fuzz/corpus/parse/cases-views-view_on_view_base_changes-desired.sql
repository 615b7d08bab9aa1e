CREATE TABLE orders (id integer PRIMARY KEY, customer text, amount numeric(10,2), placed_at date);
CREATE VIEW v_base AS SELECT id, upper(customer) AS customer FROM orders;
CREATE VIEW v_top AS SELECT customer FROM v_base;
