CREATE TABLE t (
  id int NOT NULL,
  b bit(8) NOT NULL DEFAULT b'101',
  c bit DEFAULT b'1',
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
