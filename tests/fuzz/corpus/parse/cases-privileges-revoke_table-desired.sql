CREATE TABLE accounts (id integer, name text, balance numeric);
GRANT SELECT, INSERT ON accounts TO app_writer;
