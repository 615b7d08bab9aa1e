CREATE COLLATION public.bytes (provider = libc, locale = 'C');
CREATE TABLE public.t (id integer, code text, label text COLLATE public.bytes);
