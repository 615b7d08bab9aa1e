-- A column moves from one enum type to another that shares its labels:
-- there is no cast between two enums, the values go through text.
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE feeling AS ENUM ('sad', 'ok', 'happy', 'ecstatic');
CREATE TABLE people (id integer PRIMARY KEY, current mood, history mood[]);
