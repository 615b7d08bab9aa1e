-- A partitioned table whose partition already has its own index on the
-- column: the target has an index on the parent, which attaches it.
CREATE TABLE public.m (id int, k int) PARTITION BY RANGE (id);
CREATE TABLE public.m1 PARTITION OF public.m FOR VALUES FROM (0) TO (100);
CREATE TABLE public.m2 PARTITION OF public.m FOR VALUES FROM (100) TO (200);
