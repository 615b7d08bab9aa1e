CREATE TABLE logins (id integer, at timestamp without time zone);
