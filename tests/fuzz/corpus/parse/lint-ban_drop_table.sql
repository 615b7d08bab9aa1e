-- lint fixture: fires ban_drop_table
SET lock_timeout = '2s';
DROP TABLE orders;
