CREATE TABLE t (
  id int NOT NULL,
  s varchar(10) CHARACTER SET latin1,
  t text CHARACTER SET latin1 COLLATE latin1_bin,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
