CREATE TABLE vehicles (id integer, wheels integer);
