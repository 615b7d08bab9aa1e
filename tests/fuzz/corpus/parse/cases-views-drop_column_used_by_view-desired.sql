CREATE TABLE items (id integer, name text);
CREATE VIEW item_view AS SELECT id, name FROM items;
