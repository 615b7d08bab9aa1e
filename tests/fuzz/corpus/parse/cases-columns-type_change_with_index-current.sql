CREATE TABLE accounts (id integer, code character varying(10));
CREATE INDEX accounts_code_idx ON accounts (code);
