CREATE TABLE public.parent (id int NOT NULL, code text, CONSTRAINT parent_id_key UNIQUE (id));
CREATE TABLE public.child (id int PRIMARY KEY, parent_id int,
  CONSTRAINT child_parent_fkey FOREIGN KEY (parent_id) REFERENCES public.parent (id));
