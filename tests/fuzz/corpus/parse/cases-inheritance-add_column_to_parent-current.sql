CREATE TABLE vehicles (id integer);
CREATE TABLE trucks (payload integer) INHERITS (vehicles);
