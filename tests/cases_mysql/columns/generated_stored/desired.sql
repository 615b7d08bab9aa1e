CREATE TABLE t (
  id int NOT NULL,
  a int,
  twice int GENERATED ALWAYS AS (a * 2) STORED,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
