CREATE TABLE t (
  id int NOT NULL,
  n int DEFAULT -1,
  d decimal(6,2) DEFAULT '-1.5',
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
