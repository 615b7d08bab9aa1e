CREATE TABLE accounts (id integer, name text, balance numeric);
CREATE VIEW v AS SELECT id FROM accounts;
CREATE MATERIALIZED VIEW mv AS SELECT id FROM accounts;
CREATE FUNCTION f(x integer) RETURNS integer LANGUAGE sql AS $$ SELECT x $$;
COMMENT ON VIEW v IS 'a view';
COMMENT ON MATERIALIZED VIEW mv IS 'a matview';
COMMENT ON FUNCTION f(integer) IS 'identity function';
COMMENT ON COLUMN v.id IS 'view column';
