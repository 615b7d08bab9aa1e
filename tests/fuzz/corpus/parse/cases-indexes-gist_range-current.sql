CREATE TABLE shifts (id integer, hours int4range);
