CREATE TABLE t (
  id int NOT NULL,
  a int,
  b int,
  s int GENERATED ALWAYS AS (a + b) VIRTUAL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
