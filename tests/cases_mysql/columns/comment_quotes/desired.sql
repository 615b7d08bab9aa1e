CREATE TABLE t (
  id int NOT NULL,
  a int COMMENT 'it''s "quoted" and \\ back',
  b int COMMENT 'line\none',
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
