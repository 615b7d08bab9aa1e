CREATE TABLE t (
  id int NOT NULL,
  a int CHECK (a > 0),
  b int,
  CONSTRAINT ab CHECK (b > a),
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
