-- Rows for the demo's v1 schema (demo/v1.sql): unique names and a note on
-- every order, so that v2's unique key and NOT NULL hold.
INSERT INTO customers (email, name)
    SELECT 'c' || g || '@example.com', 'customer ' || g FROM generate_series(1, 200) g;
INSERT INTO orders (customer_id, total, quantity, note)
    SELECT 1 + g % 200, (g % 997) / 10.0, 1 + g % 7, 'note ' || g FROM generate_series(1, 6000) g;
ANALYZE;
