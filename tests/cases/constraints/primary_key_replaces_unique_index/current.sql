-- A primary key that replaces a unique index on the same column: the key
-- takes the index over (ADD CONSTRAINT ... USING INDEX), so uniqueness is
-- never unenforced in between.
CREATE TABLE public.t (id int NOT NULL, v text);
CREATE UNIQUE INDEX t_id_idx ON public.t (id);
