-- lint fixture: a MODIFY of a table this run does not know: a warning
-- expect: 4:29 warning copying_column_type_change
SET SESSION lock_wait_timeout = 5;
ALTER TABLE accounts MODIFY visits bigint NOT NULL, ALGORITHM=INPLACE, LOCK=NONE;
