CREATE TABLE public.t (id int NOT NULL, v text);
CREATE UNIQUE INDEX t_id_idx ON public.t (id);
ALTER TABLE public.t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_id_idx;
