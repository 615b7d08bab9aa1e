-- lint fixture: fires adding_required_field: a nullable column made NOT NULL
-- before: copying_column_type_change_setup.sql
-- expect: 5:29 error adding_required_field
SET SESSION lock_wait_timeout = 5;
ALTER TABLE accounts MODIFY code varchar(200) CHARACTER SET latin1 NOT NULL, ALGORITHM=INPLACE, LOCK=NONE;
