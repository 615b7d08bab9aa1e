CREATE TABLE t (a character varying(20), b character(3), c character varying, d timestamp with time zone,
	e timestamp without time zone, f time without time zone, g numeric(10,2), h character(2));
