-- An INVALID index on a partitioned table (made ON ONLY): one partition's
-- index is attached, one partition has its own index not attached yet, one
-- has none. The target wants the index on the whole table: the index is
-- made again, which attaches the unattached one and builds the missing one.
CREATE TABLE public.m (id int, k int) PARTITION BY RANGE (id);
CREATE TABLE public.m1 PARTITION OF public.m FOR VALUES FROM (0) TO (100);
CREATE TABLE public.m2 PARTITION OF public.m FOR VALUES FROM (100) TO (200);
CREATE TABLE public.m3 PARTITION OF public.m FOR VALUES FROM (200) TO (300);
CREATE INDEX m_k_idx ON ONLY public.m (k);
CREATE INDEX m1_k_idx ON public.m1 (k);
CREATE INDEX m3_k_idx ON public.m3 (k);
ALTER INDEX public.m_k_idx ATTACH PARTITION public.m1_k_idx;
