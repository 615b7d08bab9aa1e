CREATE TABLE customers (id integer);
