-- A primary key that replaces a unique index on the same column: the old
-- index stays until the key is in place.
CREATE TABLE public.t (id int NOT NULL, v text);
CREATE UNIQUE INDEX t_id_idx ON public.t (id);
