-- lint fixture: safe form of disallowed_unique_constraint
CREATE UNIQUE INDEX CONCURRENTLY orders_code_key ON orders (code);
SET lock_timeout = '2s';
ALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE USING INDEX orders_code_key;
