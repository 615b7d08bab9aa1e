-- lint fixture: safe form of rebuild_commands (a table of this migration)
CREATE TABLE drafts (id bigint unsigned NOT NULL PRIMARY KEY);
ALTER TABLE drafts ENGINE=InnoDB;
OPTIMIZE TABLE drafts;
