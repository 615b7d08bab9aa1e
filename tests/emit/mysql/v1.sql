-- emit_mysql: the source schema (with rows.sql), see tests/suites/emit_mysql.sh
CREATE TABLE customers (
  id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email varchar(100) NOT NULL,
  name varchar(40) NOT NULL,
  legacy_code char(4) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE orders (
  id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id bigint unsigned NOT NULL,
  total int NOT NULL DEFAULT 0,
  status enum('new','paid') NOT NULL DEFAULT 'new',
  KEY orders_status (status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
