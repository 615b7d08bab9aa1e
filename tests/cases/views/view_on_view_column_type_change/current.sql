-- t_ab reads a, whose type changes; t_a reads t_ab: both are rebuilt,
-- within the change's step; t_b, reading only b, stays.
CREATE TABLE t (id integer PRIMARY KEY, a integer, b text);
CREATE VIEW t_ab AS SELECT a, b FROM t;
CREATE VIEW t_a AS SELECT a FROM t_ab;
CREATE VIEW t_b AS SELECT b FROM t;
COMMENT ON VIEW t_a IS 'a only';
GRANT SELECT ON t_a TO app_reader;
