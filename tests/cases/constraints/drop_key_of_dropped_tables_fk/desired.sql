CREATE TABLE public.a (id int, code text, v text);
