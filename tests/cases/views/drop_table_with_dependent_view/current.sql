-- A dropped table that a view (kept, now over another table) and a view
-- (dropped too) use: the views go first.
CREATE TABLE public.a (id int PRIMARY KEY, v text);
CREATE TABLE public.b (id int PRIMARY KEY, v text);
CREATE VIEW public.va AS SELECT id, v FROM public.a;
CREATE VIEW public.vk AS SELECT id, v FROM public.a;
