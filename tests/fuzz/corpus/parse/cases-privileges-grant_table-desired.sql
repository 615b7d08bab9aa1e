CREATE TABLE accounts (id integer, name text, balance numeric);
GRANT SELECT ON accounts TO app_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON accounts TO app_writer;
