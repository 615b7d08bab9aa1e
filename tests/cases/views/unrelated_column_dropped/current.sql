-- The view reads a only: dropping c leaves it alone.
CREATE TABLE t (id integer PRIMARY KEY, a integer, b text, c integer);
CREATE VIEW t_a AS SELECT a FROM t;
GRANT SELECT ON t_a TO app_reader;
