-- lint fixture: fires require_concurrent_index_creation
SET lock_timeout = '2s';
CREATE INDEX orders_created_idx ON orders (created_at);
