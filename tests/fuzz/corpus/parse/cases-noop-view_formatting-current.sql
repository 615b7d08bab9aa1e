CREATE TABLE t (a integer, b text);
CREATE VIEW v AS SELECT a, b FROM t WHERE a > 1;
