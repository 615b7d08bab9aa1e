CREATE TABLE accounts (id integer, name text, balance numeric);
COMMENT ON TABLE accounts IS 'new';
