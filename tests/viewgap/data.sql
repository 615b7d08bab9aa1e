-- A few thousand rows, for source.sql and for the demo's v1 schema (the
-- latter through demo_data.sql).
INSERT INTO customers (id, name) SELECT g, 'customer ' || g FROM generate_series(1, 200) g;
INSERT INTO orders (id, customer_id, total, qty)
    SELECT g, 1 + g % 200, (g % 997) / 10.0, 1 + g % 7 FROM generate_series(1, 6000) g;
REFRESH MATERIALIZED VIEW qty_by_customer;
ANALYZE;
