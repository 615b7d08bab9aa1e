CREATE SCHEMA old;
CREATE TABLE old.t (id integer);
CREATE SCHEMA keep;
