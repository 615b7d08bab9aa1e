CREATE TABLE users (id integer, pw text);
