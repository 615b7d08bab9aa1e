CREATE TABLE logins (id integer, at timestamp with time zone);
