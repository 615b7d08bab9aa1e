CREATE COLLATION public.case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TABLE public.users (id integer PRIMARY KEY, email text COLLATE public.case_insensitive NOT NULL);
CREATE UNIQUE INDEX users_email_key ON public.users (email);
