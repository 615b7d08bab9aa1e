CREATE SCHEMA types;
CREATE TABLE t (id integer);
