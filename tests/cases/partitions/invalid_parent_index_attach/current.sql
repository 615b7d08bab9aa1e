-- An ON ONLY index on a partitioned table whose partitions' indexes are not
-- all attached yet: the parent index is INVALID. The target attaches the
-- missing one, which makes it valid.
CREATE TABLE public.m (id int, k int) PARTITION BY RANGE (id);
CREATE TABLE public.m1 PARTITION OF public.m FOR VALUES FROM (0) TO (100);
CREATE TABLE public.m2 PARTITION OF public.m FOR VALUES FROM (100) TO (200);
CREATE INDEX m_k_idx ON ONLY public.m (k);
CREATE INDEX m1_k_idx ON public.m1 (k);
CREATE INDEX m2_k_idx ON public.m2 (k);
ALTER INDEX public.m_k_idx ATTACH PARTITION public.m1_k_idx;
