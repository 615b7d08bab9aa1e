CREATE TABLE t (a varchar(20), b char(3), c varchar, d timestamptz, e timestamp, f time, g decimal(10,2), h bpchar(2));
