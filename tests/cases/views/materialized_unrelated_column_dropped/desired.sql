CREATE TABLE t (id integer PRIMARY KEY, a integer, b text, d bigint);
CREATE MATERIALIZED VIEW t_sum AS SELECT id, a FROM t;
CREATE UNIQUE INDEX t_sum_id ON t_sum (id);
