CREATE TABLE accounts (id integer, name text, balance numeric);
GRANT SELECT (id, name), UPDATE (name) ON aunts TO app_pp_reader;
