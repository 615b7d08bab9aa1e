CREATE TABLE t (
  id int NOT NULL,
  a int,
  KEY a (a) IGNORED,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
