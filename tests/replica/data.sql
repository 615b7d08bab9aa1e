-- About 200,000 rows for source.sql; the trigger is off while they load.
ALTER TABLE orders DISABLE TRIGGER orders_refuse;
INSERT INTO customers (id, email, full_name, phone, ssn)
SELECT g, 'c' || g || '@corp.example', 'Customer ' || g,
       CASE WHEN g % 4 = 0 THEN NULL ELSE '+44 20 ' || g END,
       CASE WHEN g % 5 = 0 THEN NULL ELSE lpad(g::text, 9, '0') END
FROM generate_series(1, 50000) g;
INSERT INTO products SELECT g, 'Product ' || g, g % 100 + 0.5 FROM generate_series(1, 2000) g;
INSERT INTO orders (id, customer_id, customer_email, note, amount)
SELECT g, 1 + (g * 7) % 50000,
       CASE WHEN g % 10 = 0 THEN NULL ELSE 'c' || (1 + (g * 7) % 50000) || '@corp.example' END,
       CASE WHEN g % 3 = 0 THEN NULL ELSE 'deliver to door ' || g END,
       g % 1000
FROM generate_series(1, 100000) g;
SELECT setval(pg_get_serial_sequence('orders', 'id'), 100000);
INSERT INTO order_items SELECT g, 1, 1 + g % 2000 FROM generate_series(1, 40000) g;
INSERT INTO employees SELECT g, 'e' || g || '@corp.example', CASE WHEN g > 1 THEN g / 2 END
FROM generate_series(1, 1000) g;
INSERT INTO api_tokens SELECT g, 1 + g % 50000, md5('token' || g) FROM generate_series(1, 6000) g;
INSERT INTO events SELECT g, 'kind ' || (g % 7) FROM generate_series(1, 1000) g;
INSERT INTO "we""ird; DROP TABLE products; --" VALUES
	(1, 'odd1@corp.example', 1), (2, NULL, 2), (3, 'odd3@corp.example', NULL);
ALTER TABLE orders ENABLE TRIGGER orders_refuse;
REFRESH MATERIALIZED VIEW order_counts;
ANALYZE;
