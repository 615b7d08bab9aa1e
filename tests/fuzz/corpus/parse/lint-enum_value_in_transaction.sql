-- lint fixture: fires enum_value_in_transaction
BEGIN;
ALTER TYPE mood ADD VALUE 'meh';
COMMIT;
