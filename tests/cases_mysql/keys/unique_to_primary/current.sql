CREATE TABLE t (
  code char(3) NOT NULL,
  name varchar(10),
  UNIQUE KEY code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
