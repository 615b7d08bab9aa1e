CREATE TABLE vehicles (id integer, wheels integer);
CREATE TABLE trucks (payload integer) INHERITS (vehicles);
