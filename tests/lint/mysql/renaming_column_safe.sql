-- lint fixture: safe form of renaming_column (a table of this migration)
CREATE TABLE drafts (id bigint unsigned NOT NULL PRIMARY KEY, total int);
ALTER TABLE drafts RENAME COLUMN total TO amount;
