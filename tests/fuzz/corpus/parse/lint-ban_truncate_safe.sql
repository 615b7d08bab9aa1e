-- lint fixture: safe form of ban_truncate
CREATE TABLE drafts (id bigint PRIMARY KEY);
TRUNCATE drafts;
