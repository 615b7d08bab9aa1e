CREATE TABLE makers (id integer PRIMARY KEY, name text);
CREATE TABLE items (id integer PRIMARY KEY, maker_id integer REFERENCES makers (id) ON DELETE SET NULL, name text, weight bigint NOT NULL);
CREATE INDEX items_name_idx ON items (name);
CREATE VIEW items_base AS SELECT id, name, weight, weight * 2 AS double_weight FROM items;
CREATE VIEW items_top AS SELECT name, weight FROM items_base WHERE weight > 10;
GRANT SELECT ON items_top TO app_reader;
