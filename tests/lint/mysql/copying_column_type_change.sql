-- lint fixture: fires copying_column_type_change (after the setup file)
-- before: copying_column_type_change_setup.sql
-- expect: 7:36 error copying_column_type_change
-- expect: 8:36 error copying_column_type_change
-- expect: 9:36 error copying_column_type_change
SET SESSION lock_wait_timeout = 5;
ALTER TABLE accounts MODIFY COLUMN visits bigint NOT NULL DEFAULT 0, ALGORITHM=INPLACE, LOCK=NONE;
ALTER TABLE accounts CHANGE COLUMN name name varchar(100) NOT NULL;
ALTER TABLE accounts MODIFY COLUMN kind enum('b','a') NOT NULL DEFAULT 'a';
