-- lint fixture: fires adding_not_null_field
SET lock_timeout = '2s';
ALTER TABLE orders ALTER COLUMN status SET NOT NULL;
