-- lint fixture: fires lock_blocks_writes (LOCK=SHARED, LOCK=EXCLUSIVE)
-- expect: 5:72 error lock_blocks_writes
-- expect: 6:53 error lock_blocks_writes
SET SESSION lock_wait_timeout = 5;
ALTER TABLE orders ADD INDEX orders_ref (ref), ALGORITHM=INPLACE, LOCK=SHARED;
CREATE INDEX orders_ship ON orders (ship_to) LOCK = EXCLUSIVE;
