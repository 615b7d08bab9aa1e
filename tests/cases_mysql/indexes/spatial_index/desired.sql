CREATE TABLE t (
  id int NOT NULL,
  pos point NOT NULL,
  SPATIAL KEY pos (pos),
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
