CREATE TABLE accounts (id integer, name text, balance numeric);
GRANT SELECT (id, name), UPDATE (name) ON accounts TO app_reader;
