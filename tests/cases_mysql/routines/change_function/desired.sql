CREATE TABLE t (id int NOT NULL, n int, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE FUNCTION twice(x int, y int) RETURNS bigint DETERMINISTIC COMMENT 'it''s new' RETURN x * 2 + y;
