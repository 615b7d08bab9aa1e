CREATE TABLE t (
  id int NOT NULL,
  flags set('a','b') DEFAULT 'a,b',
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
