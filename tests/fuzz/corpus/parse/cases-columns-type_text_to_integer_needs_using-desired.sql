CREATE TABLE readings (id integer, value integer);
