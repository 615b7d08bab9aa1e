-- lint fixture: safe form of require_concurrent_index_deletion
SET lock_timeout = '2s';
DROP INDEX CONCURRENTLY orders_created_idx;
