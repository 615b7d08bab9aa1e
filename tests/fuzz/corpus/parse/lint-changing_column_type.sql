-- lint fixture: fires changing_column_type (after changing_column_type_setup.sql)
SET lock_timeout = '2s';
ALTER TABLE accounts ALTER COLUMN amount TYPE numeric(12,3);
