-- lint fixture: fires concurrently_in_transaction
BEGIN;
CREATE INDEX CONCURRENTLY orders_created_idx ON orders (created_at);
COMMIT;
