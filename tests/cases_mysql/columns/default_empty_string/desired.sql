CREATE TABLE t (
  id int NOT NULL,
  s varchar(10) NOT NULL DEFAULT '',
  t char(3) NOT NULL DEFAULT '',
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
