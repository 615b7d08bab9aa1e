CREATE TABLE t (
  id int NOT NULL,
  qty int,
  PRIMARY KEY (id),
  CONSTRAINT qty_positive CHECK (qty > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
