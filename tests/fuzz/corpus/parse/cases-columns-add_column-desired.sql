CREATE TABLE users (id integer PRIMARY KEY, email text, created_at timestamp with time zone);
