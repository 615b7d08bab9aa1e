-- A new UNIQUE constraint whose column has a unique index already: the
-- index is gone in the target and the key would make an identical one, so
-- the key takes it over (ADD CONSTRAINT ... USING INDEX): no build, no
-- moment without uniqueness.
CREATE TABLE public.t (id int NOT NULL, code text NOT NULL);
CREATE UNIQUE INDEX t_code_key ON public.t (code);
