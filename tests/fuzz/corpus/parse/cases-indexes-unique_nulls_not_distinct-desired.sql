CREATE TABLE people (id integer PRIMARY KEY, email text, name text, age integer, deleted_at timestamp with time zone);
CREATE UNIQUE INDEX people_email_nnd_idx ON people (email) NULLS NOT DISTINCT;
