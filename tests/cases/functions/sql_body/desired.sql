-- SQL-standard bodies (BEGIN ATOMIC, RETURN) read what they name at
-- creation: made after it, dropped before it, rebuilt around a change of
-- a column they read.
CREATE TABLE items (id integer PRIMARY KEY, price bigint NOT NULL);
CREATE TABLE orders (id integer PRIMARY KEY, qty integer NOT NULL);
CREATE FUNCTION priced() RETURNS bigint LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT count(*) FROM items WHERE price > 0;
END;
CREATE FUNCTION order_qty(o integer) RETURNS integer LANGUAGE sql STABLE
RETURN (SELECT qty FROM orders WHERE id = o);
CREATE FUNCTION twice(n integer) RETURNS integer LANGUAGE sql IMMUTABLE
RETURN n * 2;
CREATE FUNCTION quad(n integer) RETURNS integer LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT twice(twice(n));
END;
COMMENT ON FUNCTION priced() IS 'items with a price';
