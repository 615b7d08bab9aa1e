CREATE TABLE t (
  id int NOT NULL,
  n int DEFAULT -5,
  d decimal(6,2) DEFAULT -2.25,
  f double DEFAULT -0.5,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
