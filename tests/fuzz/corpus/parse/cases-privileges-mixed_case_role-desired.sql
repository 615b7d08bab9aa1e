CREATE TABLE accounts (id integer, name text, balance numeric);
GRANT SELECT, REFERENCES ON accounts TO "Mixed Case Role";
