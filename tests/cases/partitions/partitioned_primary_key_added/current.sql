-- A primary key on a partitioned table (the partition key in it), which
-- the server adds to every partition too.
CREATE TABLE public.m (id int, k int) PARTITION BY RANGE (id);
CREATE TABLE public.m1 PARTITION OF public.m FOR VALUES FROM (0) TO (100);
