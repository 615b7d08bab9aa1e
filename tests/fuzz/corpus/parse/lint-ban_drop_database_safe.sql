-- lint fixture: safe form of ban_drop_database
CREATE TABLE drafts (id bigint PRIMARY KEY);
