-- Two stacked views (top over base over the table); base's definition
-- changes and the column both read is retyped by expand and contract,
-- while a foreign key's action changes: both go and come back in one
-- step, top after base, with top's privilege.
CREATE TABLE makers (id integer PRIMARY KEY, name text);
CREATE TABLE items (id integer PRIMARY KEY, maker_id integer REFERENCES makers (id), name text, weight integer NOT NULL);
CREATE VIEW items_base AS SELECT id, name, weight FROM items;
CREATE VIEW items_top AS SELECT name, weight FROM items_base WHERE weight > 10;
GRANT SELECT ON items_top TO app_reader;
