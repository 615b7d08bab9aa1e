-- lint fixture: fires ban_drop_column
SET lock_timeout = '2s';
ALTER TABLE orders DROP COLUMN legacy;
