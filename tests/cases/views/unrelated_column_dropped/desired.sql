CREATE TABLE t (id integer PRIMARY KEY, a integer, b text);
CREATE VIEW t_a AS SELECT a FROM t;
GRANT SELECT ON t_a TO app_reader;
