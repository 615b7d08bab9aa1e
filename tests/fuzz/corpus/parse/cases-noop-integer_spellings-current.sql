CREATE TABLE t (a int, b integer, c int4, d int8, e int2, f bool, g float8, h float4, i decimal);
