CREATE EXTENSION citext;
CREATE TABLE users (id integer, email citext);
