-- lint fixture: safe form of ban_drop_column (a table of this migration)
CREATE TABLE drafts (id bigint unsigned NOT NULL PRIMARY KEY, legacy text);
ALTER TABLE drafts DROP COLUMN legacy;
