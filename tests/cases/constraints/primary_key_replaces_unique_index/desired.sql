CREATE TABLE public.t (id int NOT NULL, v text, PRIMARY KEY (id));
