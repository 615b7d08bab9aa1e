-- lint fixture: safe form of ban_drop_table (a table of this migration)
CREATE TABLE scratch_orders (id bigint unsigned NOT NULL PRIMARY KEY);
DROP TABLE scratch_orders;
DROP TEMPORARY TABLE IF EXISTS tmp_orders;
