CREATE SCHEMA archive;
CREATE TABLE public.notes (id integer);
