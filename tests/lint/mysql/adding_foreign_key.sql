-- lint fixture: fires adding_foreign_key
-- expect: 4:20 error adding_foreign_key
SET SESSION lock_wait_timeout = 5;
ALTER TABLE orders ADD CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id), ALGORITHM=INPLACE, LOCK=NONE;
