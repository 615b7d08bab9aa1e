-- lint fixture: safe form of adding_unique_key (a table of this migration)
CREATE TABLE drafts (id bigint unsigned NOT NULL PRIMARY KEY, ref varchar(20));
ALTER TABLE drafts ADD UNIQUE KEY drafts_ref (ref);
CREATE UNIQUE INDEX drafts_ref2 ON drafts (ref);
