CREATE TABLE t (id integer PRIMARY KEY, a integer, b text, c bigint);
CREATE VIEW t_ab AS SELECT a, b FROM t;
CREATE VIEW t_a AS SELECT a FROM t_ab;
