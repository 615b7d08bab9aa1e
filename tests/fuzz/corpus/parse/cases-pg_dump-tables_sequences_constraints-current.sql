CREATE TABLE authors (id serial PRIMARY KEY, name text NOT NULL);
