-- An index on one partition replaced by an index on the partitioned table
-- (which the server creates on every partition and attaches).
CREATE TABLE public.m (id int, k int) PARTITION BY RANGE (id);
CREATE TABLE public.m1 PARTITION OF public.m FOR VALUES FROM (0) TO (100);
CREATE INDEX m1_k_idx ON public.m1 (k);
