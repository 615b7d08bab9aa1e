CREATE TABLE t (
  id int NOT NULL,
  a int CHECK (a >= 0),
  b int CHECK (b < 100),
  PRIMARY KEY (id),
  CONSTRAINT b_sum CHECK (a + b < 150)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
