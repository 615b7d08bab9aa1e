CREATE TABLE log (
  id int NOT NULL,
  at date NOT NULL,
  PRIMARY KEY (id, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
