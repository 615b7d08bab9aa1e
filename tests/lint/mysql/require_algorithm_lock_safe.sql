-- lint fixture: safe forms of require_algorithm_lock
SET SESSION lock_wait_timeout = 5;
ALTER TABLE orders ADD INDEX orders_placed (placed_at), ALGORITHM=INPLACE, LOCK=NONE;
ALTER TABLE orders ADD COLUMN note text, ALGORITHM=INSTANT;
CREATE INDEX orders_total ON orders (total) ALGORITHM=INPLACE LOCK=NONE;
ALTER TABLE orders ADD INDEX orders_ship (ship_to), LOCK=NONE;
-- metadata only: the server never copies for these
ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new', RENAME INDEX a TO b;
DROP INDEX orders_old ON orders;
-- MariaDB's ALTER ONLINE TABLE is LOCK=NONE
ALTER ONLINE TABLE orders ADD INDEX orders_due (due_at);
