CREATE TABLE t (a integer, b int4, c int, d bigint, e smallint, f boolean, g double precision, h real, i numeric);
