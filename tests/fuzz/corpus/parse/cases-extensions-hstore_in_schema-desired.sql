CREATE SCHEMA ext;
CREATE EXTENSION hstore WITH SCHEMA ext;
CREATE TABLE items (id integer, attrs ext.hstore);
