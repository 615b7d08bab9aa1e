CREATE TABLE t (
  id int unsigned NOT NULL AUTO_INCREMENT,
  name varchar(10) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
