-- A unique index that a foreign key references, replaced by a unique
-- constraint over the same columns (another name): the constraint takes the
-- index over (ADD CONSTRAINT ... USING INDEX), so neither the index nor the
-- foreign key has to go.
CREATE TABLE public.parent (id int PRIMARY KEY, region text NOT NULL, code text NOT NULL);
CREATE UNIQUE INDEX parent_region_code_idx ON public.parent (region, code);
CREATE TABLE public.child (id int PRIMARY KEY, region text, code text,
  CONSTRAINT child_parent_fkey FOREIGN KEY (region, code) REFERENCES public.parent (region, code));
