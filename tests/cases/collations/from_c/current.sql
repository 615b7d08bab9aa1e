CREATE TABLE public.t (id integer, code text COLLATE "C");
