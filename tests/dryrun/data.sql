INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 1000) g;
INSERT INTO orders SELECT g, 1 + g % 1000, 'new', g % 100 FROM generate_series(1, 200000) g;
ANALYZE;
