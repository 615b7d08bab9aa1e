-- The view's own definition changes as well as the type of a column it
-- reads (expand and contract); the table also gets a new column the new
-- definition does not read, a new index, and a foreign key whose action
-- changes: the view goes and comes back with its new definition (and its
-- new comment) in the swap's transaction.
CREATE TABLE customers (id integer PRIMARY KEY, name text);
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id),
    total numeric(10,2) NOT NULL, qty integer NOT NULL);
CREATE VIEW order_totals AS SELECT customer_id, sum(total) AS total, sum(qty) AS qty FROM orders GROUP BY customer_id;
COMMENT ON VIEW order_totals IS 'per customer';
