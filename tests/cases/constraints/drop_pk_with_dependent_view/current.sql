-- A dropped primary key that a view depends on (it selects a column not in
-- GROUP BY, which the key makes functionally dependent): the view is made
-- again after the key is gone, over the grouped column only.
CREATE TABLE public.t (id int PRIMARY KEY, v text);
CREATE VIEW public.tv AS SELECT id, v FROM public.t GROUP BY id;
