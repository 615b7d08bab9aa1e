-- lint fixture: fires require_algorithm_lock (an index and a new column)
-- expect: 5:1 error require_algorithm_lock
-- expect: 6:1 error require_algorithm_lock
SET SESSION lock_wait_timeout = 5;
ALTER TABLE orders ADD INDEX orders_placed (placed_at);
ALTER TABLE orders ADD COLUMN note text, ALGORITHM=DEFAULT;
