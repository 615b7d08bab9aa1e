CREATE TABLE accounts (id integer, name text, balance numeric);
COMMENT ON TABLE accounts IS 'old';
COMMENT ON COLUMN accounts.name IS 'the name';
