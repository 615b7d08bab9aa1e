-- lint fixture: safe form of ban_drop_column
CREATE TABLE drafts (id bigint PRIMARY KEY, legacy text);
ALTER TABLE drafts DROP COLUMN legacy;
