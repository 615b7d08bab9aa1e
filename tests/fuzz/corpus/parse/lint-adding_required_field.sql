-- lint fixture: fires adding_required_field
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN note text NOT NULL;
