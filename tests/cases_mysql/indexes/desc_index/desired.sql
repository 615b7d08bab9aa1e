CREATE TABLE t (
  id int NOT NULL,
  at datetime,
  PRIMARY KEY (id),
  KEY at_desc (at DESC)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
