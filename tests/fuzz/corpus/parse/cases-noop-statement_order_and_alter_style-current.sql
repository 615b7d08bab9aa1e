CREATE TABLE a (id integer PRIMARY KEY);
CREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a (id));
CREATE INDEX b_a_idx ON b (a_id);
