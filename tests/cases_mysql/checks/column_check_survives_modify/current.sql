CREATE TABLE t (
  id int NOT NULL,
  qty int NOT NULL CHECK (qty > 0),
  price decimal(8,2) CHECK (price >= 0),
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
