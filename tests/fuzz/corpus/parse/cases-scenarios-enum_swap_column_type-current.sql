CREATE TABLE t (id integer, state text DEFAULT 'new');
