CREATE TABLE accounts (id integer, name text, balance numeric);
