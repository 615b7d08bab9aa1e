CREATE TABLE accounts (id integer, name text, balance numeric);
GRANT SELECT ON accounts TO PUBLIC;
GRANT UPDATE ON accounts TO app_writer WITH GRANT OPTION;
