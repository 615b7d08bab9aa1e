-- lint fixture: fires require_lock_timeout
ALTER TABLE orders ALTER COLUMN note SET DEFAULT '';
