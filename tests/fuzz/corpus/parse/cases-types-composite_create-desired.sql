CREATE TYPE address AS (street text, city text, zip character varying(10));
CREATE TABLE customers (id integer, home address);
