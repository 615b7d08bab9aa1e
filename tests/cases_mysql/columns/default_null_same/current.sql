CREATE TABLE t (
  id int NOT NULL,
  s varchar(10) DEFAULT NULL,
  n int,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
