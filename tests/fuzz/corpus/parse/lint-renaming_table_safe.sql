-- lint fixture: safe form of renaming_table
CREATE TABLE drafts (id bigint PRIMARY KEY);
ALTER TABLE drafts RENAME TO sketches;
