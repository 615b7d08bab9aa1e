CREATE TABLE t (
  id int NOT NULL,
  a tinytext,
  b text,
  c mediumtext,
  d longtext,
  e blob,
  f varbinary(16),
  g binary(4),
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
