-- The child has a column of its own that the parent gains: ADD COLUMN on
-- the parent merges with it (the child keeps it as its own too).
CREATE TABLE public.parent (id int);
CREATE TABLE public.child (c int) INHERITS (public.parent);
