CREATE TABLE public.b (id int PRIMARY KEY, v text);
CREATE VIEW public.vk AS SELECT id, v FROM public.b;
