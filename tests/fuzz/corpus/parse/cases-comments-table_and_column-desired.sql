CREATE TABLE accounts (id integer, name text, balance numeric);
COMMENT ON TABLE accounts IS 'Customer accounts';
COMMENT ON COLUMN accounts.balance IS 'In cents; can''t be negative';
