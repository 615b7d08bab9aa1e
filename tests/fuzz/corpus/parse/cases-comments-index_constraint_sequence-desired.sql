CREATE TABLE t (id integer CONSTRAINT t_pk PRIMARY KEY, v integer);
CREATE INDEX t_v_idx ON t (v);
CREATE SEQUENCE t_seq;
COMMENT ON INDEX t_v_idx IS 'lookups by v';
COMMENT ON CONSTRAINT t_pk ON t IS 'identity';
COMMENT ON SEQUENCE t_seq IS 'spare numbers';
