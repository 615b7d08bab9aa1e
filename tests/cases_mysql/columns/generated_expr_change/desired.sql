CREATE TABLE t (
  id int NOT NULL,
  a int,
  b int GENERATED ALWAYS AS (a * 3 + 1) VIRTUAL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
