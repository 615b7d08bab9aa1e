CREATE DOMAIN zip AS character varying(10) CONSTRAINT zip_digits CHECK (VALUE ~ '^[0-9]+$');
CREATE TABLE addrs (id integer, z zip);
