-- lint fixture: safe form of require_concurrent_index_creation
SET lock_timeout = '2s';
CREATE INDEX CONCURRENTLY orders_created_idx ON orders (created_at);
