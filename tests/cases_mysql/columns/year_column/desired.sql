CREATE TABLE t (
  id int NOT NULL,
  y year NOT NULL DEFAULT 2024,
  z year(4),
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
