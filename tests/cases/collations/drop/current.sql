CREATE COLLATION public.german (provider = libc, locale = 'C');
CREATE COLLATION numeric_order (provider = icu, locale = 'en-u-kn-true');
CREATE TABLE public.t (id integer, name text COLLATE public.german);
