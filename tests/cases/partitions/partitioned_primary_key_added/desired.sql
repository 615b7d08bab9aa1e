CREATE TABLE public.m (id int, k int, PRIMARY KEY (id, k)) PARTITION BY RANGE (id);
CREATE TABLE public.m1 PARTITION OF public.m FOR VALUES FROM (0) TO (100);
