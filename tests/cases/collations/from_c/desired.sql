CREATE COLLATION public.bytewise FROM "C";
CREATE TABLE public.t (id integer, code text COLLATE public.bytewise);
