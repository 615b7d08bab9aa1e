-- lint fixture: fires require_lock_wait_timeout (never set, then reset)
-- expect: 5:1 warning require_lock_wait_timeout
-- expect: 7:1 warning require_lock_wait_timeout
SET GLOBAL lock_wait_timeout = 5;
ALTER TABLE orders ADD COLUMN note text, ALGORITHM=INSTANT;
SET lock_wait_timeout = DEFAULT;
ALTER TABLE orders DROP INDEX orders_old;
