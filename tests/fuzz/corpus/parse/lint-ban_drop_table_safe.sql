-- lint fixture: safe form of ban_drop_table
CREATE TABLE drafts (id bigint PRIMARY KEY);
DROP TABLE drafts;
