CREATE TABLE public.parent (id int PRIMARY KEY, region text NOT NULL, code text NOT NULL,
  CONSTRAINT parent_region_code_key UNIQUE (region, code));
CREATE TABLE public.child (id int PRIMARY KEY, region text, code text,
  CONSTRAINT child_parent_fkey FOREIGN KEY (region, code) REFERENCES public.parent (region, code));
