CREATE TABLE products (id integer, price numeric);
