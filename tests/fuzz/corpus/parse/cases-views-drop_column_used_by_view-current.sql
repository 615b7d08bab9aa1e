CREATE TABLE items (id integer, name text, legacy text);
CREATE VIEW item_view AS SELECT id, name, legacy FROM items;
