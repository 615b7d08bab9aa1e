-- lint fixture: fires ban_truncate
SET lock_timeout = '2s';
TRUNCATE orders;
