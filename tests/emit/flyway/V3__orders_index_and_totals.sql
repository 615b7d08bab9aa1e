CREATE INDEX orders_customer_idx ON orders (customer_id);

CREATE VIEW order_totals AS
    SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id;
