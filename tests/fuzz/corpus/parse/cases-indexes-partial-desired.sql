CREATE TABLE people (id integer PRIMARY KEY, email text, name text, age integer, deleted_at timestamp with time zone);
CREATE INDEX people_live_idx ON people (email) WHERE deleted_at IS NULL;
