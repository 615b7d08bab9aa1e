CREATE TABLE accounts (id integer, name text, balance numeric);
CREATE VIEW v AS SELECT id FROM accounts;
CREATE MATERIALIZED VIEW mv AS SELECT id FROM accounts;
CREATE FUNCTION f(x integer) RETURNS integer LANGUAGE sql AS $$ SELECT x $$;
