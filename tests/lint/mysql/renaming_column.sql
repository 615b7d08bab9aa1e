-- lint fixture: fires renaming_column (RENAME COLUMN and CHANGE old new)
-- expect: 6:20 error renaming_column
-- expect: 7:27 error renaming_column
-- expect: 7:27 warning copying_column_type_change
SET SESSION lock_wait_timeout = 5;
ALTER TABLE orders RENAME COLUMN total TO amount, ALGORITHM=INSTANT;
ALTER TABLE orders CHANGE `note` `notes` text, ALGORITHM=INPLACE, LOCK=NONE;
