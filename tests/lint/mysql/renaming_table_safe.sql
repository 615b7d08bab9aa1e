-- lint fixture: safe form of renaming_table (a table of this migration)
CREATE TABLE drafts (id bigint unsigned NOT NULL PRIMARY KEY);
RENAME TABLE drafts TO draft_orders;
ALTER TABLE draft_orders RENAME TO drafts;
