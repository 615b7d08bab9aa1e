-- lint fixture: fires adding_unique_key (ADD UNIQUE, CREATE UNIQUE INDEX)
-- expect: 5:20 error adding_unique_key
-- expect: 6:1 error adding_unique_key
SET SESSION lock_wait_timeout = 5;
ALTER TABLE orders ADD UNIQUE KEY orders_ref (ref), ALGORITHM=INPLACE, LOCK=NONE;
CREATE UNIQUE INDEX customers_email ON customers (email) ALGORITHM=INPLACE LOCK=NONE;
