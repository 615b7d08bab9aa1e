CREATE TABLE prices (id integer, amount numeric(12,4));
