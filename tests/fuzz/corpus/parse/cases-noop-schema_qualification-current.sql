CREATE TABLE t (id integer PRIMARY KEY);
CREATE TABLE u (t_id integer REFERENCES t (id));
