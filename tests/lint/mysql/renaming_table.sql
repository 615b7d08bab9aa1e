-- lint fixture: fires renaming_table (RENAME TABLE and ALTER ... RENAME TO)
-- expect: 5:14 error renaming_table
-- expect: 6:20 error renaming_table
SET SESSION lock_wait_timeout = 5;
RENAME TABLE orders TO purchases;
ALTER TABLE people RENAME TO customers;
