-- Schema b's function calls schema a's, and the file creates schema b
-- (and its function) first.
CREATE SCHEMA b;
CREATE FUNCTION b.twice(x int) RETURNS int LANGUAGE sql
BEGIN ATOMIC
  SELECT a.inc(a.inc(x));
END;
CREATE FUNCTION b.twice_plain(x int) RETURNS int LANGUAGE sql
  RETURN a.inc(x) + a.inc(x);
CREATE FUNCTION b.thrice(x int) RETURNS int LANGUAGE sql
  AS $$ SELECT a.inc(a.inc(a.inc(x))) $$;
CREATE SCHEMA a;
CREATE FUNCTION a.inc(x int) RETURNS int LANGUAGE sql IMMUTABLE RETURN x + 1;
