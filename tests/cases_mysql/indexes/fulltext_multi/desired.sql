CREATE TABLE t (
  id int NOT NULL,
  title varchar(100),
  body text,
  FULLTEXT KEY ft (title, body),
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
