CREATE SCHEMA archive;
CREATE TABLE public.notes (id integer);
CREATE TABLE archive.notes (id integer, archived_at timestamp with time zone);
