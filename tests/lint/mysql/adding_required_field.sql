-- lint fixture: fires adding_required_field
-- expect: 4:31 error adding_required_field
SET SESSION lock_wait_timeout = 5;
ALTER TABLE orders ADD COLUMN currency char(3) NOT NULL, ALGORITHM=INSTANT;
