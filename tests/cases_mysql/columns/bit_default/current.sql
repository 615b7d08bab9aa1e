CREATE TABLE t (
  id int NOT NULL,
  b bit(1) NOT NULL DEFAULT b'0',
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
