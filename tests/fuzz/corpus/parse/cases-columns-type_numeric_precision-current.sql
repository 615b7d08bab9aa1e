CREATE TABLE prices (id integer, amount numeric(10,2));
