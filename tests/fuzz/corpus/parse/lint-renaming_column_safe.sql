-- lint fixture: safe form of renaming_column
CREATE TABLE drafts (id bigint PRIMARY KEY, total bigint);
ALTER TABLE drafts RENAME COLUMN total TO amount;
