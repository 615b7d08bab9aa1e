CREATE TABLE orders (
  id int NOT NULL,
  total decimal(10,2),
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;
