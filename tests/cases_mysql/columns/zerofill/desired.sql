CREATE TABLE t (
  id int NOT NULL,
  n int(8) unsigned zerofill NOT NULL DEFAULT 0,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
