-- lint fixture: fires ban_truncate
-- expect: 4:16 error ban_truncate
SET SESSION lock_wait_timeout = 5;
TRUNCATE TABLE orders;
