CREATE TABLE t (
  id int NOT NULL,
  h varbinary(32) NOT NULL,
  v binary(20),
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
