CREATE TABLE t (a integer, b text);
CREATE INDEX t_ab ON t (a, b DESC);
CREATE INDEX t_lb ON t (lower(b));
