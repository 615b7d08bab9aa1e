-- SQL-standard bodies (BEGIN ATOMIC, RETURN) read what they name at
-- creation: made after it, dropped before it, rebuilt around a change of
-- a column they read.
CREATE TABLE items (id integer PRIMARY KEY, price integer NOT NULL);
CREATE TABLE old_log (id integer, msg text);
CREATE FUNCTION priced() RETURNS bigint LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT count(*) FROM items WHERE price > 0;
END;
CREATE FUNCTION log_count() RETURNS bigint LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT count(msg) FROM old_log;
END;
CREATE FUNCTION twice(n integer) RETURNS integer LANGUAGE sql IMMUTABLE
RETURN n * 2;
