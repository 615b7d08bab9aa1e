CREATE TABLE items (id integer, name text);
CREATE FUNCTION items_like(p text) RETURNS TABLE(item_id integer, item_name text) LANGUAGE sql STABLE
	AS $$ SELECT id, name FROM items WHERE name LIKE p $$;
CREATE FUNCTION all_items() RETURNS SETOF items LANGUAGE sql STABLE AS $$ SELECT * FROM items $$;
