CREATE TABLE t (
  id int NOT NULL,
  v varbinary(4) DEFAULT 'ab',
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
