CREATE TABLE people (id integer PRIMARY KEY, email text, name text, age integer, deleted_at timestamp with time zone);
CREATE INDEX people_age_desc_idx ON people (age DESC NULLS FIRST, name NULLS LAST);
