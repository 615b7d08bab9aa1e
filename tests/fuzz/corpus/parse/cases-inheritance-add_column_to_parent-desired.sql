CREATE TABLE vehicles (id integer, color text);
CREATE TABLE trucks (payload integer) INHERITS (vehicles);
