CREATE TABLE accounts (id integer, name text, balance numeric);
CREATE VIEW account_names AS SELECT id, name FROM accounts;
GRANT SELECT ON account_names TO app_reader;
