CREATE TABLE t (
  id int NOT NULL,
  name varchar(20),
  note text,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
