-- lint fixture: fires require_concurrent_index_deletion
SET lock_timeout = '2s';
DROP INDEX orders_created_idx;
