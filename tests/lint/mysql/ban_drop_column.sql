-- lint fixture: fires ban_drop_column
-- expect: 4:20 error ban_drop_column
SET SESSION lock_wait_timeout = 5;
ALTER TABLE orders DROP COLUMN legacy, ALGORITHM=INSTANT;
