-- A key that goes with the table whose foreign key uses it: the key
-- cannot go before that foreign key does.
CREATE TABLE public.a (id int PRIMARY KEY, code text UNIQUE, v text);
CREATE TABLE public.b (id int PRIMARY KEY, a_id int REFERENCES public.a (id),
    a_code text REFERENCES public.a (code));
