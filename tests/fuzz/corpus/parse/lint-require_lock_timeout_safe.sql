-- lint fixture: safe form of require_lock_timeout
BEGIN;
SET LOCAL lock_timeout = '2s';
ALTER TABLE orders ALTER COLUMN note SET DEFAULT '';
COMMIT;
