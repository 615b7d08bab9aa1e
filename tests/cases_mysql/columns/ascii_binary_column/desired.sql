CREATE TABLE t (
  id int NOT NULL,
  code varchar(10) CHARACTER SET ascii COLLATE ascii_bin,
  tag varchar(5) COLLATE utf8mb4_bin,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
