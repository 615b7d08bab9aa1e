CREATE TABLE t (
  id int NOT NULL,
  f double,
  g float(7,2),
  h real,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
