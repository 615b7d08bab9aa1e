CREATE TABLE people (id integer PRIMARY KEY, email text, name text, age integer, deleted_at timestamp with time zone);
CREATE INDEX people_deleted_brin_idx ON people USING brin (deleted_at) WITH (pages_per_range = 32);
