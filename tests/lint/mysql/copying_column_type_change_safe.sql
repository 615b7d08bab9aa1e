-- lint fixture: safe forms of copying_column_type_change (after the setup file)
-- before: copying_column_type_change_setup.sql
SET SESSION lock_wait_timeout = 5;
-- 40 -> 60 characters of utf8mb4: 160 -> 240 bytes, one length byte still
ALTER TABLE accounts MODIFY COLUMN name varchar(60) NOT NULL, ALGORITHM=INPLACE, LOCK=NONE;
-- latin1: 200 -> 250 bytes
ALTER TABLE accounts MODIFY code varchar(250) CHARACTER SET latin1, ALGORITHM=INPLACE, LOCK=NONE;
-- an ENUM value appended at the end
ALTER TABLE accounts MODIFY kind enum('a','b','c') NOT NULL DEFAULT 'a', ALGORITHM=INSTANT;
