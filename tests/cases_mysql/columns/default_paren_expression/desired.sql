CREATE TABLE t (
  id int NOT NULL,
  d date DEFAULT (curdate()),
  u varchar(36) DEFAULT (uuid()),
  n int DEFAULT (1 + 2),
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
