CREATE TABLE users (id integer, email text);
