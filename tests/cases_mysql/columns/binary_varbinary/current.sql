CREATE TABLE t (
  id int NOT NULL,
  h binary(16) NOT NULL,
  v varbinary(20),
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
