-- emit_mysql: the target schema, see tests/suites/emit_mysql.sh
CREATE TABLE customers (
  id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email varchar(100) NOT NULL,
  name varchar(60) NOT NULL,
  note text NULL,
  UNIQUE KEY customers_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE orders (
  id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id bigint unsigned NOT NULL,
  total bigint NOT NULL DEFAULT 0,
  status enum('new','paid','shipped') NOT NULL DEFAULT 'new',
  placed_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY orders_placed (placed_at),
  CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE shipments (
  id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
  order_id bigint unsigned NOT NULL,
  sent_at datetime NULL,
  CONSTRAINT shipments_order FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE VIEW paid_orders AS SELECT id, customer_id, total FROM orders WHERE status = 'paid';
