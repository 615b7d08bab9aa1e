-- A primary key made from an existing unique index (ADD ... USING INDEX):
-- the index becomes the constraint's and is no index of its own.
CREATE TABLE public.t (id int NOT NULL, v text);
CREATE UNIQUE INDEX t_id_idx ON public.t (id);
