-- lint fixture: fires add_column_with_default_old_pg
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN note text DEFAULT '';
