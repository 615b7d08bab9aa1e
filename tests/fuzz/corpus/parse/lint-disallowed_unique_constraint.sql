-- lint fixture: fires disallowed_unique_constraint
SET lock_timeout = '2s';
ALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE (code);
