CREATE TABLE public.t (id int NOT NULL, code text NOT NULL, CONSTRAINT t_code_key UNIQUE (code));
