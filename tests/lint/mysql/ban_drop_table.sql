-- lint fixture: fires ban_drop_table
-- expect: 4:22 error ban_drop_table
SET SESSION lock_wait_timeout = 5;
DROP TABLE IF EXISTS legacy_orders;
