CREATE TABLE public.t (id integer PRIMARY KEY);
CREATE TABLE public.u (t_id integer REFERENCES public.t (id));
