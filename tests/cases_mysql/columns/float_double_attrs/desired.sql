CREATE TABLE t (
  id int NOT NULL,
  f float unsigned NOT NULL DEFAULT 0,
  d double(10,2) DEFAULT 1.5,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
