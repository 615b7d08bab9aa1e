-- A materialized view not reading c is neither dropped nor refilled when
-- c goes or d changes type.
CREATE TABLE t (id integer PRIMARY KEY, a integer, b text, d integer, c integer);
CREATE MATERIALIZED VIEW t_sum AS SELECT id, a FROM t;
CREATE UNIQUE INDEX t_sum_id ON t_sum (id);
