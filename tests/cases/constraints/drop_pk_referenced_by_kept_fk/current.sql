-- A primary key that a foreign key references is dropped, the foreign key
-- stays (now backed by a unique constraint on the same column): the
-- foreign key goes first and comes back after.
CREATE TABLE public.parent (id int NOT NULL, code text, CONSTRAINT parent_pkey PRIMARY KEY (id));
CREATE TABLE public.child (id int PRIMARY KEY, parent_id int,
  CONSTRAINT child_parent_fkey FOREIGN KEY (parent_id) REFERENCES public.parent (id));
