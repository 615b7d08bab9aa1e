CREATE TABLE t (
  id int NOT NULL,
  e enum('a,b','c''d','e f','') DEFAULT 'c''d',
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
