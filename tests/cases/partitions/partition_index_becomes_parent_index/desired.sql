CREATE TABLE public.m (id int, k int) PARTITION BY RANGE (id);
CREATE TABLE public.m1 PARTITION OF public.m FOR VALUES FROM (0) TO (100);
CREATE INDEX m_k_idx ON public.m (k);
