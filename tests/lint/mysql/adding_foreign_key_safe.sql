-- lint fixture: safe form of adding_foreign_key (orphans checked beforehand)
SET SESSION lock_wait_timeout = 5;
SET SESSION foreign_key_checks = 0;
ALTER TABLE orders ADD CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id), ALGORITHM=INPLACE, LOCK=NONE;
SET SESSION foreign_key_checks = 1;
-- a new table's foreign keys: no rows to check
CREATE TABLE notes (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, order_id bigint NOT NULL);
ALTER TABLE notes ADD FOREIGN KEY (order_id) REFERENCES orders (id);
