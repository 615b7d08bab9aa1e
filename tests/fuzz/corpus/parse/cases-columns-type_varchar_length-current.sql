CREATE TABLE people (id integer, name character varying(20));
