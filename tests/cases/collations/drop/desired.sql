CREATE TABLE public.t (id integer, name text);
