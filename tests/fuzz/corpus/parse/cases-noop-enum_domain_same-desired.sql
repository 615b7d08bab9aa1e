CREATE TYPE public.mood AS ENUM ('a','b');
CREATE DOMAIN public.pos int4 CONSTRAINT pos_check CHECK ((VALUE > 0));
