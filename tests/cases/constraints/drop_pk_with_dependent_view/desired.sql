CREATE TABLE public.t (id int NOT NULL, v text);
CREATE VIEW public.tv AS SELECT id, v FROM public.t GROUP BY id, v;
