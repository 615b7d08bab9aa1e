-- lint fixture: fires adding_field_with_volatile_default
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN uid uuid DEFAULT gen_random_uuid();
