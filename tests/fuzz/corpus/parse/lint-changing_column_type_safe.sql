-- lint fixture: safe form of changing_column_type (after changing_column_type_setup.sql)
SET lock_timeout = '2s';
ALTER TABLE accounts ALTER COLUMN name TYPE varchar(40);
ALTER TABLE accounts ALTER COLUMN amount TYPE numeric(14,2);
