CREATE TABLE t (
  id int NOT NULL,
  a int,
  b int,
  PRIMARY KEY (id),
  KEY a (a) USING BTREE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
