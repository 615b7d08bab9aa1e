-- A partition gets a primary key and a unique key of its own (not the
-- parent's); going back, the NOT NULL the key put on the column goes too.
CREATE TABLE public.m (id int, k int, v text) PARTITION BY RANGE (id);
CREATE TABLE public.m1 PARTITION OF public.m FOR VALUES FROM (0) TO (100);
