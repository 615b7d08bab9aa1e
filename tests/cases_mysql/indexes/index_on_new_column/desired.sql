CREATE TABLE t (
  id int NOT NULL,
  email varchar(100) NOT NULL,
  UNIQUE KEY email (email),
  KEY email_prefix (email(8)),
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
