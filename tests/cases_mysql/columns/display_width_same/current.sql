CREATE TABLE t (
  id int(11) NOT NULL,
  n smallint(6),
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
