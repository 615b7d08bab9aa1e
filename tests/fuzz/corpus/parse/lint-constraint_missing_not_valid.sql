-- lint fixture: fires constraint_missing_not_valid
SET lock_timeout = '2s';
ALTER TABLE orders ADD CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES customers (id);
