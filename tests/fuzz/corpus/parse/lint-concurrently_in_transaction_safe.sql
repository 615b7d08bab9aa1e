-- lint fixture: safe form of concurrently_in_transaction
CREATE INDEX CONCURRENTLY orders_created_idx ON orders (created_at);
