CREATE TABLE t (id int NOT NULL, n int, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
DELIMITER //
CREATE PROCEDURE bump(IN by_n int, OUT total bigint)
BEGIN
  UPDATE t SET n = n + by_n;
  SELECT SUM(n) INTO total FROM t;
END//
DELIMITER ;
