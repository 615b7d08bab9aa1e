CREATE TABLE t (
  id int NOT NULL,
  n bigint unsigned NOT NULL,
  m decimal(8,2) unsigned,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
