-- Neither view reads c: retyping it rebuilds nothing.
CREATE TABLE t (id integer PRIMARY KEY, a integer, b text, c integer);
CREATE VIEW t_ab AS SELECT a, b FROM t;
CREATE VIEW t_a AS SELECT a FROM t_ab;
