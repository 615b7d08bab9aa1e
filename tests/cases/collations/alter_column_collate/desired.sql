-- A migration-style file: the column's collation comes from ALTER
-- COLUMN ... TYPE ... COLLATE, and a TYPE without COLLATE resets it.
CREATE COLLATION public.bytes (provider = libc, locale = 'C');
CREATE TABLE public.t (id integer, code text, label text COLLATE public.bytes);
ALTER TABLE public.t ALTER COLUMN code TYPE text COLLATE public.bytes;
ALTER TABLE public.t ALTER COLUMN label TYPE text;
