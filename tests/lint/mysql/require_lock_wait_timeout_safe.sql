-- lint fixture: safe form of require_lock_wait_timeout
SET @@session.lock_wait_timeout = 5;
ALTER TABLE orders ADD COLUMN note text, ALGORITHM=INSTANT;
SET SESSION lock_wait_timeout = 3, foreign_key_checks = 1;
ALTER TABLE orders DROP INDEX orders_old;
