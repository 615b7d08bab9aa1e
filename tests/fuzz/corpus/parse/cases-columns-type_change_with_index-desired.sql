CREATE TABLE accounts (id integer, code text);
CREATE INDEX accounts_code_idx ON accounts (code);
