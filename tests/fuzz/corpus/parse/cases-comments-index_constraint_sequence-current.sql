CREATE TABLE t (id integer CONSTRAINT t_pk PRIMARY KEY, v integer);
CREATE INDEX t_v_idx ON t (v);
CREATE SEQUENCE t_seq;
