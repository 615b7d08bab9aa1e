CREATE TABLE public.parent (id int, c int);
CREATE TABLE public.child (c int) INHERITS (public.parent);
