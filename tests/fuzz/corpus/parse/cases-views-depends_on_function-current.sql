CREATE TABLE orders (id integer PRIMARY KEY, customer text, amount numeric(10,2), placed_at date);
CREATE FUNCTION net(numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT $1 * 0.8 $$;
