CREATE DOMAIN zip AS character varying(10);
CREATE TABLE addrs (id integer, z zip);
