-- No aggregates yet.
CREATE TABLE public.m (v double precision);
