CREATE TABLE t (
  id int NOT NULL,
  at datetime DEFAULT '2020-01-01 00:00:00',
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
