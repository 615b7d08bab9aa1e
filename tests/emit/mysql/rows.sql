INSERT INTO customers (id, email, name, legacy_code) VALUES
  (1, 'ada@example.com', 'Ada', 'A1'), (2, 'bob@example.com', 'Bob', NULL);
INSERT INTO orders (id, customer_id, total, status) VALUES
  (1, 1, 100, 'paid'), (2, 1, 250, 'new'), (3, 2, 75, 'paid');
