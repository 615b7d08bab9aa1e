CREATE TABLE accounts (id integer, name text, balance numeric);
GRANT ALL ON accounts TO app_writer;
GRANT SELECT ON accounts TO app_reader;
