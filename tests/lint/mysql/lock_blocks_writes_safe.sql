-- lint fixture: safe form of lock_blocks_writes
SET SESSION lock_wait_timeout = 5;
ALTER TABLE orders ADD INDEX orders_ref (ref), ALGORITHM=INPLACE, LOCK=NONE;
