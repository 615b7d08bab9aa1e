CREATE TABLE a (id integer PRIMARY KEY);
CREATE TABLE b (id integer PRIMARY KEY, a_id integer CONSTRAINT b_a_fk REFERENCES a (id));
